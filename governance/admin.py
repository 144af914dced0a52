"""Admin for governance records. What the rules govern is read-only here and changes only
through the services, as on the staff pages: a meeting's workflow fields, board members'
terms, appointments' dates, SLAs' dates and their ending, spend and plan versions. Admin
actions call the same services."""

from django.contrib import admin, messages
from django.utils import timezone

from . import models as m
from . import records, services
from .workflow import GovernanceError


def _each(modeladmin, request, queryset, run, done: str) -> None:
    count = 0
    for obj in queryset:
        try:
            run(obj)
        except GovernanceError as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.WARNING)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)


@admin.register(m.Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = (
        "person_name",
        "role",
        "group",
        "days_per_week",
        "starts_on",
        "ends_on",
        "induction_status",
    )
    list_filter = ("group", "role", "induction_status")
    search_fields = ("person_name", "email", "role_title")
    autocomplete_fields = ("user",)
    raw_id_fields = ("line_manager",)
    readonly_fields = ("starts_on", "ends_on")

    def has_add_permission(self, request):
        return False  # Governance, MHLM team, "Appoint someone" (records.appointment_create)


class BoardInterestInline(admin.TabularInline):
    model = m.BoardInterest
    extra = 1


@admin.register(m.BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "organisation",
        "category",
        "independent",
        "is_chair",
        "term_starts_on",
        "term_ends_on",
    )
    list_filter = ("category", "independent", "is_chair")
    search_fields = ("name", "organisation", "email")
    inlines = [BoardInterestInline]
    autocomplete_fields = ("user",)
    readonly_fields = ("term_starts_on", "term_ends_on")

    def has_add_permission(self, request):
        return False  # Governance, Board members, "Appoint" (records.board_member_appoint)


class BoardPaperInline(admin.TabularInline):
    model = m.BoardPaper
    extra = 1


class BoardActionInline(admin.TabularInline):
    model = m.BoardAction
    extra = 1
    raw_id_fields = ("owner",)


@admin.action(description="Record the papers of the selected meetings as circulated today")
def papers_circulated(modeladmin, request, queryset):
    today = timezone.localdate()
    _each(
        modeladmin,
        request,
        queryset,
        lambda meeting: services.meeting_mark_papers_circulated(
            meeting_id=meeting.pk, actor=request.user, today=today
        ),
        "{count} meetings' papers recorded as circulated.",
    )


@admin.register(m.BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ("held_on", "term", "academic_year", "status", "papers_due_on")
    list_filter = ("status", "term", "academic_year")
    inlines = [BoardPaperInline, BoardActionInline]
    actions = [papers_circulated]
    readonly_fields = (
        "status",
        "held_on",
        "papers_due_on",
        "papers_circulated_on",
        "agenda",
        "agenda_drafted_by",
        "agenda_drafted_at",
        "agenda_agreed_by",
        "agenda_agreed_at",
        "notes",
        "notes_drafted_by",
        "notes_drafted_at",
        "notes_chair_agreed_by",
        "notes_chair_agreed_at",
        "notes_chair_agreed_on",
        "notes_sll_agreed_by",
        "notes_sll_agreed_at",
        "notes_sll_agreed_on",
        "notes_pdf",
        "notes_sha256",
        "quorate",
        "cancelled_reason",
    )

    def has_add_permission(self, request):
        # Scheduling computes the papers deadline and the agenda template: use the staff page.
        return False


@admin.register(m.AgendaTemplate)
class AgendaTemplateAdmin(admin.ModelAdmin):
    list_display = ("term",)


class CompletedProgrammeInline(admin.TabularInline):
    model = m.CompletedProgramme
    extra = 1


class SLAInline(admin.StackedInline):
    model = m.ServiceLevelAgreement
    extra = 0
    can_delete = False
    readonly_fields = ("starts_on", "ends_on", "terminated_on")

    def has_add_permission(self, request, obj=None):
        return False  # Governance, LLME, "New SLA" (records.sla_create)


@admin.register(m.LocalLeader)
class LocalLeaderAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "is_work_group_lead", "is_cohort_lead", "is_community_lead")
    search_fields = ("name", "email")
    autocomplete_fields = ("user", "school")
    inlines = [CompletedProgrammeInline, SLAInline]


@admin.action(description="End the selected SLAs today")
def end_slas_today(modeladmin, request, queryset):
    today = timezone.localdate()
    _each(
        modeladmin,
        request,
        queryset,
        lambda sla: records.sla_end(sla_id=sla.pk, actor=request.user, today=today, ends_on=today),
        "{count} SLAs ended.",
    )


@admin.register(m.ServiceLevelAgreement)
class SLAAdmin(admin.ModelAdmin):
    list_display = (
        "leader",
        "starts_on",
        "ends_on",
        "release_days",
        "payment",
        "hub_signed_on",
        "leader_signed_on",
        "terminated_on",
    )
    list_select_related = ("leader",)
    readonly_fields = ("leader", "starts_on", "ends_on", "terminated_on")
    actions = [end_slas_today]

    def has_add_permission(self, request):
        return False


class PlanVersionInline(admin.TabularInline):
    model = m.AnnualPlanVersion
    extra = 0
    readonly_fields = ("review_point", "agreed_on", "summary")

    def has_add_permission(self, request, obj=None):
        return False  # Governance, Annual plan (records.plan_version_record)


@admin.register(m.AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    inlines = [PlanVersionInline]


@admin.register(m.GroupPlan)
class GroupPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "academic_year", "uploaded_to_mhpod_on")
    list_filter = ("kind", "academic_year")


class BudgetLineInline(admin.TabularInline):
    model = m.BudgetLine
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # Grant and spending, "Add a budget line" (records.budget_line_create)


class PaymentInline(admin.TabularInline):
    model = m.Payment
    extra = 0
    raw_id_fields = ("sla",)


@admin.register(m.GrantYear)
class GrantYearAdmin(admin.ModelAdmin):
    list_display = ("academic_year", "amount", "risk", "external_audit_on")
    inlines = [BudgetLineInline, PaymentInline]


class QuarterInline(admin.TabularInline):
    model = m.QuarterFigure
    extra = 0
    max_num = 4
    # The actual is the sum of the months recorded (records.spend_record).
    readonly_fields = ("quarter", "actual")

    def has_add_permission(self, request, obj=None):
        return False


class MonthlySpendInline(admin.TabularInline):
    model = m.MonthlySpend
    extra = 0
    can_delete = False
    readonly_fields = ("month", "actual")

    def has_add_permission(self, request, obj=None):
        return False  # Grant and spending, "Record actual spend" (records.spend_record)


@admin.register(m.BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "grant", "budget")
    inlines = [QuarterInline, MonthlySpendInline]

    def has_add_permission(self, request):
        return False


@admin.register(m.ChecklistEntry)
class ChecklistEntryAdmin(admin.ModelAdmin):
    list_display = ("academic_year", "objective", "status", "updated_by", "updated_at")
    # Written on the checklist's staff page (services.checklist_entry_save refuses the
    # objectives computed from the records).
    readonly_fields = ("academic_year", "objective", "status", "evidence", "updated_by")

    def has_add_permission(self, request):
        return False


@admin.register(m.ReportDueDate)
class ReportDueDateAdmin(admin.ModelAdmin):
    """Staff set when each report is due; ``met_on`` is recorded by the SLL's sign-off."""

    list_display = ["kind", "academic_year", "label", "due_on", "met_on"]
    list_filter = ["kind", "academic_year"]
    readonly_fields = ["met_on", "met_by"]
