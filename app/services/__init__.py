"""Services: the only code that writes to the database. They add and flush; the caller commits."""
