"""An installed app with Kida templates in ``kida/`` and DTL templates in ``templates/``."""
