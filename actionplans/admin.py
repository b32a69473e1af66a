"""Action plans in the Django admin: for looking strands, actions and evidence up and correcting them.

What has a rule goes through ``actionplans.services`` here as on the portal's pages: an action added
here gets the first row of its status history; its status changes (with their history and the reason
for dropping) only on its page; evidence is given on the portal (its file through the checked upload)
and accepted with the action below, which tells whoever gave it, as the coordinator's page does.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from actionplans import services
from actionplans.models import Action, Evidence, ProgressNote, Strand


@admin.register(Strand)
class StrandAdmin(admin.ModelAdmin):
    list_display = ["__str__", "compact", "guidance", "position"]
    list_filter = ["guidance", "compact__nation"]
    list_select_related = ["compact"]
    search_fields = ["title", "title_cy", "compact__name"]
    raw_id_fields = ["compact"]
    ordering = ["compact__name", "position", "pk"]


class ProgressNoteInline(admin.TabularInline):
    """The action's dated progress notes (internal: never on the public plan)."""

    model = ProgressNote
    extra = 0
    fields = ["written_on", "text", "by"]
    readonly_fields = ["by"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "compact", "strand", "lead_organisation", "due_on", "status", "target_kind"]
    list_filter = ["status", "strand__guidance", "target_kind", "compact__nation"]
    list_select_related = ["compact", "strand", "lead_organisation"]
    search_fields = ["title", "title_cy", "lead_person", "lead_organisation__name", "compact__name"]
    raw_id_fields = ["compact", "strand", "lead_organisation", "lead_user", "outcome", "undertaking"]
    date_hierarchy = "due_on"
    readonly_fields = ["status", "dropped_reason", "created_by", "created_at"]
    inlines = [ProgressNoteInline]

    def save_model(self, request, obj: Action, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name not in ("compact",)}
        obj.pk = services.action_create(compact=form.cleaned_data["compact"], by=request.user, **fields).pk
        obj._state.adding = False

    def save_formset(self, request, form, formset, change) -> None:
        for note in formset.save(commit=False):
            if note.pk is None:
                note.by = request.user
            note.save()
        for note in formset.deleted_objects:
            note.delete()


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "compact", "organisation", "year", "kind", "status", "submitted_at"]
    list_filter = ["status", "kind", "year", "compact__nation"]
    list_select_related = ["compact", "organisation"]
    search_fields = ["title", "text", "organisation__name", "compact__name"]
    raw_id_fields = ["compact", "outcome", "organisation"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "file",
        "submitted_by",
        "submitted_at",
        "status",
        "return_reason",
        "decided_by",
        "decided_at",
    ]
    actions = ["accept"]

    def has_add_permission(self, request) -> bool:
        return False  # given on the portal, where its file is checked

    @admin.action(description=_("Accept the chosen evidence (it becomes public)"))
    def accept(self, request, queryset) -> None:
        for evidence in queryset:
            services.evidence_decide(evidence=evidence, accept=True, by=request.user)
        self.message_user(request, _("The evidence is accepted."))
