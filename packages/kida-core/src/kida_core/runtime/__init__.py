"""Helpers the generated template code calls at render time."""
