"""django-import-export resources. Schools are exported through import-export; they are
imported through hubops.gias, which is many times faster than a row-by-row resource import."""

from import_export import fields, resources

from .models import School


class SchoolResource(resources.ModelResource):
    phase = fields.Field(attribute="get_phase_display", column_name="phase")
    status = fields.Field(attribute="get_status_display", column_name="status")

    class Meta:
        model = School
        fields = (
            "urn",
            "name",
            "la_code",
            "la_name",
            "type_name",
            "type_group_name",
            "phase",
            "status",
            "town",
            "postcode",
            "opened_on",
            "closed_on",
            "last_changed_on",
        )
        export_order = fields
