"""spm: sales performance management from spreadsheets."""

__version__ = "0.1.0"
