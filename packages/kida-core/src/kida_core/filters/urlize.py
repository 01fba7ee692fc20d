"""``urlize``: turn URLs and e-mail addresses in text into links.

The text is escaped first and split on whitespace; each word is examined by
hand-written scanners (no backtracking regular expressions), so the work is
linear in the length of the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kida_core.decorators import pass_environment
from kida_core.markup import Markup, escape

_LEADING = ("(", "&lt;")
_TRAILING = (")", ".", ",", "&gt;")
_PAIRS = (("(", ")"), ("&lt;", "&gt;"))
_BARE_TLDS = frozenset({"com", "net", "int", "edu", "gov", "org", "info", "mil"})
_HEX = frozenset("0123456789abcdefABCDEF")
_PATH_START = frozenset("/?#")


def _word_char(char: str) -> bool:
    """A character of regex class ``\\w``."""
    return char.isalnum() or char == "_"


def _label(text: str) -> bool:
    """A host label: word characters, ``%`` and ``-``."""
    return bool(text) and all(_word_char(c) or c in "%-" for c in text)


def _ascii_letters(text: str) -> bool:
    return text.isascii() and text.isalpha()


def _split_host(word: str) -> tuple[str, str] | None:
    """``word`` as (host, rest) where rest is empty, ``:port[path]`` or a path; else None."""
    if word.startswith("["):  # a bracketed IPv6 address
        end = word.find("]") + 1
        if not end:
            return None
    else:
        end = 0
        while end < len(word) and (_word_char(word[end]) or word[end] in "%-."):
            end += 1
    host, rest = word[:end], word[end:]
    if rest.startswith(":"):
        digits = 1
        while digits < len(rest) and rest[digits].isdecimal():
            digits += 1
        if not 2 <= digits <= 6:
            return None
        rest = rest[digits:]
    if rest and rest[0] not in _PATH_START:
        return None
    return host, rest


def _named_host(host: str) -> bool:
    """``label.label...tld`` with an alphabetic (or ``xn--``) last label."""
    *labels, tld = host.split(".")
    if not all(_label(label) for label in labels):
        return False
    if 2 <= len(tld) <= 63 and _ascii_letters(tld):
        return True
    tail = tld[4:]
    return (
        tld[:4].lower() == "xn--"
        and 2 <= len(tail) <= 59
        and all(_word_char(c) or c == "%" for c in tail)
    )


def _ip_host(host: str) -> bool:
    """A dotted IPv4 address or a bracketed IPv6 one."""
    if host.startswith("[") and host.endswith("]"):
        groups = host[1:-1].split(":")
        return 3 <= len(groups) <= 9 and all(len(g) <= 4 and set(g) <= _HEX for g in groups)
    parts = host.split(".")
    return len(parts) == 4 and all(1 <= len(p) <= 3 and p.isdecimal() for p in parts)


def _is_url(word: str) -> bool:
    """``word`` is an http(s)/``www.`` URL or a bare domain under a common TLD."""
    lowered = word[:8].lower()
    scheme = next((p for p in ("https://", "http://") if lowered.startswith(p)), "")
    prefixed = scheme or ("www." if lowered.startswith("www.") else "")
    split = _split_host(word[len(prefixed) :])
    if split is None:
        return False
    host = split[0]
    if prefixed and _named_host(host):
        return True
    if scheme and _ip_host(host):
        return True
    split = _split_host(word)
    if split is None:
        return False
    *labels, tld = split[0].split(".")
    return (
        bool(labels)
        and all(_label(label) and 2 <= len(label) <= 63 for label in labels)
        and tld.lower() in _BARE_TLDS
    )


def _is_email(word: str) -> bool:
    """``local@domain.tld``: a non-empty local part, a word-character domain with a dot."""
    local, at, domain = word.rpartition("@")
    if not (at and local and domain and _word_char(domain[0])):
        return False
    if not all(_word_char(c) or c in ".-" for c in domain):
        return False
    dot = domain.rfind(".")
    suffix = domain[dot + 1 :]
    return dot > 0 and bool(suffix) and all(_word_char(c) for c in suffix)


def _strip_punctuation(word: str) -> tuple[str, str, str]:
    """Split ``word`` into leading brackets, the candidate link and trailing punctuation.

    Closing brackets in the trailing part go back to the link while it has
    unbalanced opening ones (``(see http://a.com/b_(c))``).
    """
    start = 0
    while True:
        mark = next((m for m in _LEADING if word.startswith(m, start)), None)
        if mark is None:
            break
        start += len(mark)
    end = len(word)
    while end > start:
        mark = next((m for m in _TRAILING if word.endswith(m, start, end)), None)
        if mark is None:
            break
        end -= len(mark)
    head, middle, tail = word[:start], word[start:end], word[end:]
    for opening, closing in _PAIRS:
        opened = middle.count(opening)
        if opened <= middle.count(closing):
            continue
        moved = 0
        for _ in range(min(opened, tail.count(closing))):
            moved = tail.index(closing, moved) + len(closing)
        middle, tail = middle + tail[:moved], tail[moved:]
    return head, middle, tail


def urlize_text(
    text: object,
    trim_url_limit: int | None = None,
    rel: str | None = None,
    target: str | None = None,
    extra_schemes: Iterable[str] = (),
) -> Markup:
    """Escape ``text`` and wrap its URLs and e-mail addresses in ``<a>`` tags.

    Links show at most ``trim_url_limit`` characters (then ``...``); ``rel``
    and ``target`` become attributes of URL links; words starting with one of
    ``extra_schemes`` (``"tel:"``) become links too.
    """
    schemes = tuple(extra_schemes)
    attrs = (f' rel="{escape(rel)}"' if rel else "") + (
        f' target="{escape(target)}"' if target else ""
    )

    def shown(url: str) -> str:
        if trim_url_limit is not None and len(url) > trim_url_limit:
            return f"{url[:trim_url_limit]}..."
        return url

    def link(word: str) -> str:
        head, middle, tail = _strip_punctuation(word)
        if _is_url(middle):
            has_scheme = middle.startswith(("http://", "https://"))
            href = middle if has_scheme else f"https://{middle}"
            middle = f'<a href="{href}"{attrs}>{shown(middle)}</a>'
        elif middle.startswith("mailto:") and _is_email(middle[7:]):
            middle = f'<a href="{middle}">{middle[7:]}</a>'
        elif (
            "@" in middle
            and not middle.startswith("www.")
            and ":" not in middle
            and _is_email(middle)
        ):
            middle = f'<a href="mailto:{middle}">{middle}</a>'
        elif any(middle != s and middle.startswith(s) for s in schemes):
            middle = f'<a href="{middle}"{attrs}>{middle}</a>'
        return head + middle + tail

    escaped = str(escape(text))
    out: list[str] = []
    start = 0
    for index, char in enumerate(escaped):
        if char.isspace():
            if start < index:
                out.append(link(escaped[start:index]))
            out.append(char)
            start = index + 1
    if start < len(escaped):
        out.append(link(escaped[start:]))
    return Markup("".join(out))


def _scheme_prefix(scheme: str) -> bool:
    """``name:`` with optional ``//``: two or more of word characters, ``.``, ``+``, ``-``."""
    name, colon, slashes = scheme.partition(":")
    return (
        bool(colon)
        and len(name) >= 2
        and all(_word_char(c) or c in ".+-" for c in name)
        and slashes in ("", "/", "//")
    )


@pass_environment
def urlize(
    env: Any,
    value: Any,
    trim_url_limit: int | None = None,
    nofollow: bool = False,
    target: str | None = None,
    rel: str | None = None,
    extra_schemes: Iterable[str] | None = None,
) -> Markup:
    """Escape ``value`` and turn its URLs and e-mail addresses into links (``Markup``).

    ``rel`` gets ``nofollow`` when asked, plus the ``urlize.rel`` policy
    (``noopener``); ``target`` and ``extra_schemes`` default to the
    ``urlize.target`` and ``urlize.extra_schemes`` policies. A scheme must look
    like ``name:`` (``tel:``, ``ftp://``), else ``ValueError``.
    """
    policies = env.policies
    rel_words = set((rel or "").split()) | set((policies["urlize.rel"] or "").split())
    if nofollow:
        rel_words.add("nofollow")
    if target is None:
        target = policies["urlize.target"]
    schemes = tuple(
        extra_schemes if extra_schemes is not None else policies["urlize.extra_schemes"] or ()
    )
    for scheme in schemes:
        if not _scheme_prefix(scheme):
            raise ValueError(f"{scheme!r} is not a valid URI scheme prefix (e.g. 'tel:')")
    return urlize_text(value, trim_url_limit, " ".join(sorted(rel_words)) or None, target, schemes)
