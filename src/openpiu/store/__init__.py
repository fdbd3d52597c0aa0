"""The store: SQLAlchemy Core tables, migrations and the vault.

``db`` builds engines from a URL and migrates them; ``schema`` holds the tables;
``vault`` keeps every message received, raw and hashed, before anything else.
"""
