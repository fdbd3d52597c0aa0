# A package so setuptools ships the revision files; Alembic skips __init__.py.
