"""The staff flag follows the roles held: on for superusers and holders of a role, off for
everyone else (hubops.roles.staff_flag_for). Existing accounts are brought into line once here;
from now on hubops.services.user_sync_staff_flag keeps them so whenever groups change.

The role names are frozen here as they stood when this migration was written."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q

ROLE_NAMES = [
    "Hub staff",
    "Maths Hub Lead",
    "Senior Leadership Link",
    "Work Group Lead",
    "Complaints handler",
    "Data protection lead",
    "Board Chair",
    "Lead School head",
    "Lead School senior leader",
]


def staff_flag_from_roles(apps, schema_editor):
    User = apps.get_model("hubops", "User")
    Membership = User.groups.through
    holds_role = Exists(
        Membership.objects.filter(user_id=OuterRef("pk"), group__name__in=ROLE_NAMES)
    )
    User.objects.filter(Q(is_superuser=True) | Q(holds_role), is_staff=False).update(
        is_staff=True
    )
    User.objects.filter(~Q(holds_role), is_superuser=False, is_staff=True).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("hubops", "0003_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(staff_flag_from_roles, migrations.RunPython.noop)]
