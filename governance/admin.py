"""Admin for governance records. Meeting workflow fields (agenda and notes agreement, the
locked PDF) are read-only here: they change only through the staff pages' services."""

from django.contrib import admin

from . import models as m


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


class BoardPaperInline(admin.TabularInline):
    model = m.BoardPaper
    extra = 1


class BoardActionInline(admin.TabularInline):
    model = m.BoardAction
    extra = 1
    raw_id_fields = ("owner",)


@admin.register(m.BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ("held_on", "term", "academic_year", "status", "papers_due_on")
    list_filter = ("status", "term", "academic_year")
    inlines = [BoardPaperInline, BoardActionInline]
    readonly_fields = (
        "status",
        "papers_due_on",
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
        "notes_sll_agreed_by",
        "notes_sll_agreed_at",
        "notes_pdf",
        "notes_sha256",
        "quorate",
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


@admin.register(m.LocalLeader)
class LocalLeaderAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "is_work_group_lead", "is_cohort_lead", "is_community_lead")
    search_fields = ("name", "email")
    autocomplete_fields = ("user", "school")
    inlines = [CompletedProgrammeInline, SLAInline]


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
    )
    list_select_related = ("leader",)


class PlanVersionInline(admin.TabularInline):
    model = m.AnnualPlanVersion
    extra = 1


@admin.register(m.AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    inlines = [PlanVersionInline]


@admin.register(m.GroupPlan)
class GroupPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "academic_year", "uploaded_to_mhpod_on")
    list_filter = ("kind", "academic_year")


class BudgetLineInline(admin.TabularInline):
    model = m.BudgetLine
    extra = 1
    show_change_link = True


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
    extra = 4
    max_num = 4


@admin.register(m.BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "grant", "budget")
    inlines = [QuarterInline]


@admin.register(m.ChecklistEntry)
class ChecklistEntryAdmin(admin.ModelAdmin):
    list_display = ("academic_year", "objective", "status", "updated_by", "updated_at")
    readonly_fields = ("updated_by",)


@admin.register(m.ReportDueDate)
class ReportDueDateAdmin(admin.ModelAdmin):
    """Staff set when each report is due; ``met_on`` is recorded by the SLL's sign-off."""

    list_display = ["kind", "academic_year", "label", "due_on", "met_on"]
    list_filter = ["kind", "academic_year"]
    readonly_fields = ["met_on", "met_by"]
