"""Pipeline stages. Each module is one stage with a small, explicit contract."""
