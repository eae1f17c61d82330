"""Staff accounts: creating them, passwords (Argon2id), checking a login and its throttling —
shared by the login page, the admin pages, the command line and the demo."""
