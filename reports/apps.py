from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports to the DfE and the NCETM"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hubops.roles import has_role
        from hubops.staff_home import StaffLink, register_section

        from .staff_views import REPORT_ROLES

        register_section(
            "Reports",
            20,
            [
                StaffLink(
                    "Reports to the DfE and the NCETM: drafts, quality assurance and sign-off",
                    "reports:list",
                    lambda user: has_role(user, *REPORT_ROLES),
                )
            ],
        )
