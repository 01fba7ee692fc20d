"""``kida.utils.html``: HTML escaping helpers and ``SoftStr``, from ``kida_core``."""

from kida_core.markup import Markup, escape, html_escape, striptags, unescape
from kida_core.utils.html import (
    SAFE_URL_SCHEMES,
    JSString,
    SoftStr,
    css_escape,
    format_html,
    js_escape,
    safe_url,
    strip_tags,
    url_is_safe,
    xmlattr,
)

__all__ = [
    "SAFE_URL_SCHEMES",
    "JSString",
    "Markup",
    "SoftStr",
    "css_escape",
    "escape",
    "format_html",
    "html_escape",
    "js_escape",
    "safe_url",
    "strip_tags",
    "striptags",
    "unescape",
    "url_is_safe",
    "xmlattr",
]
