"""Privacy by default: sensitive data deleted on receipt, only Annex I data kept."""
