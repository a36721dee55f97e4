"""renkei — a platform for running industry–academia–government collaboration clusters."""

__version__ = "0.1.0"
