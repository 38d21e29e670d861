"""kaspr-tui: manage a Kaspr subscription from the terminal."""

__version__ = "0.1.0"
