"""django-import-export: the hub's base resource, its safe export formats and admin mixin.

Every admin export goes through ``hubops.exports``: :class:`HubResource` exports native values
(dates stay dates), :class:`SafeCSV` writes UTF-8 with a byte-order mark and :class:`SafeXLSX`
real dates, and both neutralise text that a spreadsheet would run as a formula. Admin classes
use :class:`SafeExportMixin` instead of import-export's ``ExportMixin``; a test walks the
admin site and fails on any export that does not.

Schools are exported through import-export; they are imported through hubops.gias, which is
many times faster than a row-by-row resource import.
"""

from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from . import exports
from .models import School


class HubResource(resources.ModelResource):
    """Base for every resource: values are exported as they are (a date as a date), and the
    format makes them safe."""

    def export(self, queryset=None, **kwargs):
        kwargs["force_native_type"] = True
        return super().export(queryset, **kwargs)


class SafeCSV(base_formats.CSV):
    CONTENT_TYPE = exports.CSV_TYPE

    def export_data(self, dataset, **kwargs) -> str:
        return exports.csv_text(list(dataset), dataset.headers)


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs) -> bytes:
        return exports.xlsx_bytes(list(dataset), dataset.headers, title=dataset.title or "Export")


SAFE_FORMATS = [SafeCSV, SafeXLSX]


class SafeExportMixin(ExportMixin):
    """``ExportMixin`` limited to the safe formats, always encoded as UTF-8."""

    export_formats = SAFE_FORMATS
    to_encoding = "utf-8"


class SchoolResource(HubResource):
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
