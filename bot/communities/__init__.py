"""Communities of practice: create, edit, archive, the core group's roles, and who may do what."""
