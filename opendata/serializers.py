"""The shapes of the API's answers. Codes (``vcs``, ``formal``) rather than labels, so that an
answer is the same in English and Welsh; content is given in both, ``_cy`` for the Welsh."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commitments.models import CodeOfPractice, Compact, Edition, Outcome, Principle, Undertaking
from consultations.models import Consultation

# Values of the choice fields, named in the schema (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
PUBLIC_EDITION_STATUSES = ["published", "superseded"]
REGISTER_STATUSES = ["current", "earlier", "withdrawn"]
CONSULTATION_STATUSES = ["forthcoming", "open", "awaiting_feedback", "feedback_published"]


class CompactSerializer(serializers.ModelSerializer):
    current_edition_id = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = Compact
        fields = ["slug", "name", "name_cy", "area", "nation", "welsh_first", "current_edition_id"]


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = [
            "id",
            "name",
            "name_cy",
            "status",
            "published_on",
            "based_on_id",
            "consultation_min_weeks",
            "feedback_due_weeks",
            "funding_notice_min_months",
            "dispute_informal_days",
            "dispute_formal_days",
            "dispute_mediation_days",
        ]

    based_on_id = serializers.IntegerField(allow_null=True, read_only=True)
    status = serializers.ChoiceField(choices=PUBLIC_EDITION_STATUSES, read_only=True)


class PrincipleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Principle
        fields = ["position", "title", "title_cy", "description", "description_cy"]


class CodeOfPracticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CodeOfPractice
        fields = ["position", "title", "title_cy", "body", "body_cy"]


class UndertakingSerializer(serializers.ModelSerializer):
    key = serializers.UUIDField(read_only=True, help_text="Stays the same across editions, however renumbered.")
    number = serializers.CharField(read_only=True, help_text="Its number in this edition, for example 2.4.")
    outcome_number = serializers.IntegerField(source="outcome.number", read_only=True)
    themes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Undertaking
        fields = ["key", "number", "outcome_number", "sector", "text", "text_cy", "themes"]


class CurrentUndertakingSerializer(UndertakingSerializer):
    edition_id = serializers.IntegerField(read_only=True)

    class Meta(UndertakingSerializer.Meta):
        fields = [*UndertakingSerializer.Meta.fields, "edition_id"]


class OutcomeSerializer(serializers.ModelSerializer):
    undertakings = UndertakingSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["number", "title", "title_cy", "description", "description_cy", "undertakings"]


class EditionDetailSerializer(EditionSerializer):
    principles = PrincipleSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    codes_of_practice = CodeOfPracticeSerializer(many=True, read_only=True)

    class Meta(EditionSerializer.Meta):
        fields = [
            *EditionSerializer.Meta.fields,
            "foreword",
            "foreword_cy",
            "introduction",
            "introduction_cy",
            "making_it_work",
            "making_it_work_cy",
            "dispute_resolution",
            "dispute_resolution_cy",
            "principles",
            "outcomes",
            "codes_of_practice",
        ]


class UndertakingAppearanceSerializer(serializers.Serializer):
    edition_id = serializers.IntegerField()
    edition_name = serializers.CharField(source="edition.name")
    edition_status = serializers.ChoiceField(source="edition.status", choices=PUBLIC_EDITION_STATUSES)
    published_on = serializers.DateField(source="edition.published_on")
    number = serializers.CharField()
    outcome_number = serializers.IntegerField(source="outcome.number")
    sector = serializers.CharField()
    text = serializers.CharField()
    text_cy = serializers.CharField()


class UndertakingHistorySerializer(serializers.Serializer):
    key = serializers.UUIDField()
    editions = UndertakingAppearanceSerializer(many=True, help_text="Newest edition first.")


class SignatorySerializer(serializers.Serializer):
    """One organisation on the public register, as the register page and its CSV show it."""

    organisation_id = serializers.IntegerField(source="organisation.pk")
    organisation = serializers.CharField(source="organisation.name")
    sector = serializers.CharField(source="organisation.sector")
    organisation_type = serializers.CharField(source="organisation.organisation_type")
    charity_number = serializers.CharField(source="organisation.charity_number")
    company_number = serializers.CharField(source="organisation.company_number")
    edition_id = serializers.IntegerField()
    edition = serializers.CharField(source="edition.name")
    signed_on = serializers.DateField(allow_null=True)
    signatory_name = serializers.CharField()
    signatory_role = serializers.CharField()
    status = serializers.ChoiceField(
        source="register_status",
        choices=REGISTER_STATUSES,
        help_text="current: signed the current edition; earlier: signed an earlier one; withdrawn.",
    )


class ComplianceSerializer(serializers.Serializer):
    length = serializers.ChoiceField(choices=["met", "reason_given", "not_met"])
    early_notice_ok = serializers.BooleanField()
    feedback_ok = serializers.BooleanField(allow_null=True, help_text="null while feedback is not yet due.")
    feedback_due_on = serializers.DateField()
    compliant = serializers.BooleanField(allow_null=True, help_text="null while only the feedback is to come.")


class ConsultationSerializer(serializers.ModelSerializer):
    compact = serializers.CharField(source="compact.slug")
    public_body = serializers.CharField(source="organisation.name")
    public_body_id = serializers.IntegerField(source="organisation.pk")
    edition_id = serializers.IntegerField()
    status = serializers.SerializerMethodField()
    length_days = serializers.SerializerMethodField()
    compliance = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "compact",
            "edition_id",
            "public_body",
            "public_body_id",
            "title",
            "title_cy",
            "summary",
            "summary_cy",
            "policy_area",
            "kind",
            "early_notice_on",
            "opens_on",
            "closes_on",
            "length_days",
            "shorter_rationale",
            "link",
            "status",
            "feedback_published_on",
            "feedback_summary",
            "feedback_summary_cy",
            "compliance",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=CONSULTATION_STATUSES))
    def get_status(self, consultation: Consultation) -> str:
        from consultations import selectors

        return selectors.consultation_status(consultation, self.context["today"])

    @extend_schema_field(OpenApiTypes.INT)
    def get_length_days(self, consultation: Consultation) -> int:
        from consultations import rules

        return rules.length_days(consultation.opens_on, consultation.closes_on)

    @extend_schema_field(ComplianceSerializer)
    def get_compliance(self, consultation: Consultation) -> dict:
        from consultations import selectors

        compliance = selectors.consultation_compliance(consultation, self.context["today"])
        return ComplianceSerializer(
            {
                "length": compliance.length,
                "early_notice_ok": compliance.early_notice_ok,
                "feedback_ok": compliance.feedback_ok,
                "feedback_due_on": compliance.feedback_due_on,
                "compliant": compliance.compliant,
            }
        ).data


class FigureSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True)
    suppressed = serializers.ChoiceField(
        choices=["", "below_minimum", "derivable"],
        help_text="Why count is null: below_minimum (1 or 2), derivable (would reveal a suppressed count).",
    )


class GroupFigureSerializer(FigureSerializer):
    value = serializers.CharField()


class UndertakingFigureSerializer(serializers.Serializer):
    number = serializers.CharField()
    joint = serializers.BooleanField()
    by_outcome = GroupFigureSerializer(many=True)


class FlaggedYearSerializer(FigureSerializer):
    financial_year = serializers.IntegerField(
        help_text="Its first calendar year: 2026 is 1 April 2026 to 31 March 2027."
    )
    label = serializers.CharField()


class ConcernFiguresSerializer(serializers.Serializer):
    compact = serializers.CharField()
    minimum = serializers.IntegerField(help_text="Counts below this are not published.")
    total = FigureSerializer()
    by_stage = GroupFigureSerializer(many=True)
    by_outcome = GroupFigureSerializer(many=True)
    by_sector = GroupFigureSerializer(many=True)
    by_undertaking = UndertakingFigureSerializer(many=True)
    median_working_days_to_close = serializers.FloatField(allow_null=True)
    flagged = FigureSerializer(
        help_text="Funding-change notices given to, and consultation alerts stopped for, an organisation with a "
        "concern against the body (open, or closed within the past year), flagged for the coordinators to review."
    )
    flagged_by_year = FlaggedYearSerializer(
        many=True,
        help_text="The same, per financial year of the day each was flagged, oldest first; only years with a flag.",
    )


class FundingYearSerializer(serializers.Serializer):
    financial_year = serializers.IntegerField(
        help_text="Its first calendar year: 2026 is 1 April 2026 to 31 March 2027."
    )
    label = serializers.CharField()
    notices = serializers.IntegerField(allow_null=True, help_text="null when fewer than 3.")
    meeting_compact_share = serializers.FloatField(
        allow_null=True, help_text="The share that gave the minimum notice or claimed exceptional circumstances."
    )
    parts = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text=(
            "For each part of the Compact (notice_length, impact, discussed, response, timetable), the share of "
            "the notices it applied to that met it; null when notices is, or when it applied to none."
        ),
    )


class IndicatorValueSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable, the same for every Compact, e.g. consultation_length.")
    title = serializers.CharField()
    title_cy = serializers.CharField()
    definition = serializers.CharField(help_text="Exactly what is counted.")
    definition_cy = serializers.CharField()
    theme = serializers.CharField()
    unit = serializers.ChoiceField(choices=["percent", "days", "count"])
    higher_is_better = serializers.BooleanField()
    value = serializers.FloatField(allow_null=True, help_text="null when there is nothing to count, or suppressed.")
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(help_text="Drawn from fewer than 3 concerns: not published.")


class IndicatorYearSerializer(serializers.Serializer):
    compact = serializers.CharField()
    financial_year = serializers.IntegerField()
    label = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField(), help_text="Years with figures, newest first.")
    indicators = IndicatorValueSerializer(many=True)


class NationalIndicatorValueSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Stable, the same for every Compact, e.g. consultation_length; its title and definition "
        "are in /api/v1/compacts/{slug}/indicators/."
    )
    unit = serializers.ChoiceField(choices=["percent", "days", "count"])
    value = serializers.FloatField(allow_null=True, help_text="null when there is nothing to count, or suppressed.")
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(help_text="Drawn from fewer than 3 concerns: not published.")
    national_median = serializers.FloatField(
        allow_null=True,
        help_text="The median of every Compact's value for the year, leaving out those with none (no data or "
        "suppressed); null when no Compact has one.",
    )


class NationalIndicatorsSerializer(serializers.Serializer):
    compact = serializers.CharField(help_text="The Compact's slug.")
    name = serializers.CharField()
    name_cy = serializers.CharField()
    nation = serializers.CharField()
    financial_year = serializers.IntegerField(
        help_text="Its first calendar year: 2026 is 1 April 2026 to 31 March 2027."
    )
    label = serializers.CharField()
    indicators = NationalIndicatorValueSerializer(many=True)
