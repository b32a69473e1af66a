import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from compact_portal.documents import RenderedDocument

UNDERTAKING_NUMBER_RE = re.compile(r"^[1-9][0-9]*\.[1-9][0-9]*$")
# A local authority's ONS code (GSS code): unitary, district, metropolitan, London borough, Welsh
# principal area, Scottish council area or Northern Irish district, then six digits.
ONS_CODE_RE = r"^(E06|E07|E08|E09|W06|S12|N09)[0-9]{6}$"


class Sector(models.TextChoices):
    """The two sides of a Compact: every organisation belongs to one."""

    PUBLIC = "public", _("Public sector")
    VCS = "vcs", _("Voluntary and community sector")


class UndertakingSector(models.TextChoices):
    """Who makes an undertaking: one of the two sectors (same values as ``Sector``) or both together.

    Kept apart from ``Sector`` because an organisation is never "both sectors".
    """

    PUBLIC = Sector.PUBLIC.value, Sector.PUBLIC.label
    VCS = Sector.VCS.value, Sector.VCS.label
    JOINT = "joint", _("Both sectors")


class Nation(models.TextChoices):
    """The UK nation whose bank holidays count when working days are counted."""

    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


class Theme(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    FUNDING = "funding", _("Funding")
    EQUALITY = "equality", _("Equality")
    VOLUNTEERING = "volunteering", _("Volunteering")
    INDEPENDENCE = "independence", _("Independence")
    COMMISSIONING = "commissioning", _("Commissioning")
    INFORMATION = "information", _("Information and data")


class Compact(models.Model):
    """A local Compact: the agreement for one area, with its editions over time."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For example, ‘The County Durham Compact’."))
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    area = models.CharField(_("area"), max_length=200, help_text=_("The place the Compact covers."))
    slug = models.SlugField(
        _("short name for web addresses"),
        unique=True,
        help_text=_("Lower-case letters, numbers and hyphens only, for example ‘example-borough’."),
    )
    nation = models.CharField(
        _("nation"),
        max_length=20,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text=_("Its bank holidays are skipped when working days are counted."),
    )
    welsh_first = models.BooleanField(
        _("Welsh first"),
        default=False,
        help_text=_("Show this Compact's pages, and write to people who have not chosen a language, in Welsh first."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_compacts", blank=True, verbose_name=_("coordinators")
    )
    # For the national directory of Compacts (issue 15): public information.
    ons_code = models.CharField(
        _("local authority's ONS code"),
        max_length=9,
        blank=True,
        validators=[
            RegexValidator(
                ONS_CODE_RE,
                _("Enter an ONS code like E06000047: E06, E07, E08, E09, W06, S12 or N09, then six digits"),
            )
        ],
        help_text=_("The code the Office for National Statistics gives the council, for example E06000047."),
    )
    contact_email = models.EmailField(
        _("public contact email"),
        blank=True,
        help_text=_("Where the public and the national body can write to the Compact's coordinator."),
    )
    contact_phone = models.CharField(_("public contact phone number (optional)"), max_length=30, blank=True)
    review_period_years = models.PositiveSmallIntegerField(
        _("review period, in years"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How often the Compact is refreshed: a new edition is due when the current one is older."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Compact")
        verbose_name_plural = _("Compacts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_period_years__gte=1, review_period_years__lte=10),
                name="compact_review_period_1_to_10_years",
            ),
            models.CheckConstraint(
                condition=models.Q(ons_code="") | models.Q(ons_code__regex=ONS_CODE_RE),
                name="compact_ons_code_pattern",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("commitments:compact_detail", kwargs={"slug": self.slug})


class Edition(models.Model):
    """One version of a Compact's text, with the compliance parameters that go with it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Replaced")

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="editions", verbose_name=_("Compact"))
    name = models.CharField(_("edition name"), max_length=200, help_text=_("For example, ‘Refreshed Compact 2027’."))
    name_cy = models.CharField(_("edition name (Welsh)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("date published"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on edition"),
    )
    foreword = models.TextField(
        _("foreword"),
        blank=True,
        help_text=_("A few paragraphs printed on the page after the cover, for example from the council’s leader."),
    )
    foreword_cy = models.TextField(_("foreword (Welsh)"), blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_cy = models.TextField(_("introduction (Welsh)"), blank=True)
    making_it_work = models.TextField(
        _("making the Compact work"),
        blank=True,
        help_text=_("How partners use the Compact day to day, and who monitors it."),
    )
    making_it_work_cy = models.TextField(_("making the Compact work (Welsh)"), blank=True)
    dispute_resolution = models.TextField(
        _("resolving differences"),
        blank=True,
        help_text=_("The local procedure for raising and resolving a concern that the Compact was not kept."),
    )
    dispute_resolution_cy = models.TextField(_("resolving differences (Welsh)"), blank=True)
    # Compliance parameters: these belong to the edition, because local Compacts differ.
    consultation_min_weeks = models.PositiveSmallIntegerField(
        _("minimum length of a formal consultation, in weeks"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    feedback_due_weeks = models.PositiveSmallIntegerField(
        _("feedback due after a consultation closes, in weeks"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    funding_notice_min_months = models.PositiveSmallIntegerField(
        _("minimum notice of a funding change, in calendar months"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    dispute_informal_days = models.PositiveSmallIntegerField(
        _("working days to answer a concern raised informally"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    dispute_formal_days = models.PositiveSmallIntegerField(
        _("working days to answer a formal written challenge"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    dispute_mediation_days = models.PositiveSmallIntegerField(
        _("working days to complete mediation"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["compact", "-published_on", "-created_at"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(
                fields=["compact"],
                condition=models.Q(status="published"),
                name="one_published_edition_per_compact",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_on__isnull=False),
                name="published_edition_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compact.name}: {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("commitments:edition_detail", kwargs={"slug": self.compact.slug, "pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_additional_data(self) -> dict:
        return {"edition_id": self.pk, "compact_id": self.compact_id}


class EditionStatusChange(models.Model):
    """History of an edition's status: who published it, and when it was superseded."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=12, choices=Edition.Status.choices, blank=True)
    new_status = models.CharField(max_length=12, choices=Edition.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.edition}: {self.old_status or '-'} → {self.new_status}"


class EditionPart(models.Model):
    """Something that belongs to one edition and is edited only while that edition is a draft."""

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        return {"edition_id": self.edition_id}


class Principle(EditionPart):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="principles")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("principle"), max_length=200, help_text=_("For example, ‘Respect’."))
    title_cy = models.CharField(_("principle (Welsh)"), max_length=200, blank=True)
    description = models.TextField(_("what it means"), blank=True)
    description_cy = models.TextField(_("what it means (Welsh)"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self) -> str:
        return self.title


class Outcome(EditionPart):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField(_("outcome number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("outcome"), max_length=300)
    title_cy = models.CharField(_("outcome (Welsh)"), max_length=300, blank=True)
    description = models.TextField(_("more about this outcome"), blank=True)
    description_cy = models.TextField(_("more about this outcome (Welsh)"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="unique_outcome_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"outcome-{self.number}"


class Undertaking(EditionPart):
    """A numbered commitment (``2.4``) made by one sector, or both jointly, towards an outcome."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="undertakings")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="undertakings")
    number = models.CharField(
        _("undertaking number"),
        max_length=10,
        help_text=_("The outcome number, a full stop, then its place, for example 2.4."),
    )
    position = models.PositiveSmallIntegerField(editable=False, default=0)
    sector = models.CharField(_("who it is for"), max_length=10, choices=UndertakingSector.choices)
    text = models.TextField(_("undertaking"))
    text_cy = models.TextField(_("undertaking (Welsh)"), blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # The undertaking's identity across editions: kept when a draft is copied from the current
    # edition and when publishing finds it again in the edition it replaces, however renumbered.
    # The open data API names undertakings by it (docs/decisions/0021-open-data-api.md).
    key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["outcome__number", "position"]
        verbose_name = _("undertaking")
        verbose_name_plural = _("undertakings")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_undertaking_number"),
            models.UniqueConstraint(fields=["edition", "key"], name="unique_undertaking_key"),
        ]
        indexes = [models.Index(fields=["edition", "sector"])]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        if UNDERTAKING_NUMBER_RE.match(self.number or ""):
            self.position = int(self.number.split(".")[1])
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return "u-" + self.number.replace(".", "-")

    def clean(self) -> None:
        errors = {}
        if not UNDERTAKING_NUMBER_RE.match(self.number or ""):
            errors["number"] = _("Enter the number as the outcome number, a full stop and its place, like 2.4.")
        elif self.outcome_id and int(self.number.split(".")[0]) != self.outcome.number:
            errors["number"] = _("The number must start with its outcome’s number, %(n)s.") % {"n": self.outcome.number}
        unknown = set(self.themes or []) - set(Theme.values)
        if unknown:
            errors["themes"] = _("Choose themes from the list.")
        if errors:
            raise ValidationError(errors)

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [labels[t] for t in self.themes if t in labels]


class CodeOfPractice(EditionPart):
    """Optional detailed guidance that backs the undertakings (funding, consultation…)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="codes_of_practice")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title (Welsh)"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    body_cy = models.TextField(_("text (Welsh)"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("code of practice")
        verbose_name_plural = _("codes of practice")

    def __str__(self) -> str:
        return self.title


class CompactLogo(models.Model):
    """A logo printed on the cover of a Compact's PDF: the council's or a partner's.

    Kept in the database (a logo is a few hundred kilobytes at most, checked and cleaned when it is
    uploaded), so the PDF embeds it as a ``data:`` URI and the renderer fetches nothing. A logo
    with an edition is printed on that edition only; one without, on every edition.
    """

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="logos")
    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="logos",
        verbose_name=_("edition"),
    )
    organisation = models.CharField(
        _("whose logo it is"),
        max_length=200,
        help_text=_("The organisation’s name. It is read out to people who cannot see the logo."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    content_type = models.CharField(max_length=20)
    image = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self) -> str:
        return self.organisation

    def get_additional_data(self) -> dict:
        return {"compact_id": self.compact_id, "edition_id": self.edition_id}

    @property
    def data_uri(self) -> str:
        import base64

        return f"data:{self.content_type};base64,{base64.b64encode(bytes(self.image)).decode('ascii')}"


class EditionDocument(RenderedDocument):
    """The rendered PDF of an edition, keyed by a hash of what went into it.

    One row per (edition, content hash): the row is claimed before the render starts, so a
    second request for the same content waits for the first render instead of starting another.
    """

    class Variant(models.TextChoices):
        READING = "", _("For reading")
        SIGNING = "signing", _("With signature blocks, for a signing ceremony")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")
        BILINGUAL = "bilingual", _("Welsh and English side by side")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="documents")
    content_hash = models.CharField(max_length=64)
    variant = models.CharField(max_length=10, choices=Variant.choices, default=Variant.READING, blank=True)
    # The language the PDF is written in: part of what is rendered (and so of its content hash).
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.ENGLISH)
    file = models.FileField(upload_to="compacts/pdf/", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "content_hash"], name="unique_edition_document_hash")]
        indexes = [models.Index(fields=["status", "requested_at"], name="edition_document_pending")]

    def __str__(self) -> str:
        return f"{self.edition} ({self.content_hash[:12]})"


class ImportRule(models.Model):
    """A coordinator's rule for reading this Compact's documents, in plain words; kept for the next
    import of the same Compact (commitments.importer.ReadingRule is what the reader takes)."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Lines starting with this text are outcome headings")
        SECTOR = "sector", _("This text is a heading that means a sector")
        IGNORE = "ignore", _("Ignore lines like this (page numbers, running headers)")

    class RuleSector(models.TextChoices):
        PUBLIC = "public", _("the public sector")
        VCS = "vcs", _("the voluntary and community sector")
        JOINT = "joint", _("both sectors")

    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="import_rules")
    kind = models.CharField(_("kind of rule"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=100)
    sector = models.CharField(_("sector"), max_length=10, choices=RuleSector.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reading rule")
        verbose_name_plural = _("reading rules")
        constraints = [
            models.UniqueConstraint(fields=["compact", "kind", "text", "sector"], name="unique_import_rule"),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.kind == self.Kind.OUTCOME:
            return _("Lines starting with ‘%(text)s’ are outcome headings") % {"text": self.text}
        if self.kind == self.Kind.SECTOR:
            return _("‘%(text)s’ means %(sector)s") % {
                "text": self.text,
                "sector": self.RuleSector(self.sector).label if self.sector in self.RuleSector.values else "",
            }
        return _("Ignore lines like ‘%(text)s’") % {"text": self.text}
