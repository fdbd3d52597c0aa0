"""openpiu: an open-source Passenger Information Unit platform."""

__version__ = "0.1.0"
