"""digitize: turn folders of scanner output into a searchable PDF/A archive."""

__version__ = "0.1.0"
