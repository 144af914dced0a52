from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance and reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hubops.roles import has_role
        from hubops.staff_home import StaffLink, register_section

        from .staff_views import GOVERNANCE_ROLES

        def governance(user):
            return has_role(user, *GOVERNANCE_ROLES)

        register_section(
            "Governance",
            10,
            [
                StaffLink("Team and board compliance", "governance_staff:compliance", governance),
                StaffLink("Grant Offer Letter checklist", "governance_staff:checklist", governance),
                StaffLink("Strategic Board meetings", "governance_staff:meeting_list", governance),
            ],
        )
