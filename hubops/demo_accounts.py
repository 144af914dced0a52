"""The demo hub's logins, readable without Django set up (``scripts/runhub.py`` prints them
before the web server starts; ``load_demo`` creates them)."""

from __future__ import annotations

from hubops.roles import Role

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - published demo password, DEBUG only
DEMO_DOMAIN = "demo.hub.example"


def role_email(role: Role) -> str:
    return f"{role.value.lower().replace(' ', '-')}@{DEMO_DOMAIN}"


def demo_accounts() -> list[tuple[str, str]]:
    """(email, what the account is) for every demo login, in the order they are printed."""
    accounts = [(f"admin@{DEMO_DOMAIN}", "superuser (everything, including /admin/)")]
    accounts += [(role_email(role), f"staff: {role.label}") for role in Role]
    accounts.append((f"teacher@{DEMO_DOMAIN}", "a teacher (not staff)"))
    return accounts
