"""peopleplan: an open-source workforce development platform for UK councils."""

__version__ = "0.1.0"
