"""API representations of seeds, needs, search results, suggestions, feedback, expressions of
interest, alerts and inbox items. Writes go through renkei.matching.services; reads show the
owner of an anonymised listing only to those access.shows_owner allows."""

from __future__ import annotations

from typing import Any

from django.db.models import Manager, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from renkei.core.api.serializers import ServiceModelSerializer, VisiblePrimaryKeyRelatedField
from renkei.core.models import BureauRegion, Prefecture, TechField
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Organisation, Person
from renkei.matching import access, services
from renkei.matching.choices import DeclineReason, Stage, TargetKind, Verdict
from renkei.matching.models import Alert, Feedback, InboxItem, Interest, Need, Seed
from renkei.programs.models import Cluster, Programme

# What a search result is (the search page calls an organisation's capability text "org").
MATCH_KINDS = [("seed", "seed"), ("need", "need"), ("capability", "capability")]
OWNER_HIDDEN_HELP = "Null when the listing is anonymised and the reader may not know its owner."

# --- seeds and needs ---------------------------------------------------------------------


class ListingListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        listings = list(data.all() if isinstance(data, Manager | QuerySet) else data)
        self.child.decide_owner_visibility(listings)
        return super().to_representation(listings)


class _ListingSerializer(ServiceModelSerializer):
    """What seeds and needs share. For a whole page at once it decides which owners the reader may
    know (anonymised listings) and which linked people they may see, so a list costs a fixed
    number of queries."""

    title = serializers.CharField(read_only=True, help_text="The title in the reader's language, else the other.")
    organisation = VisiblePrimaryKeyRelatedField(
        visible_organisations,
        queryset=Organisation.objects.all(),
        allow_null=True,
        help_text=f"The owning organisation's id. {OWNER_HIDDEN_HELP} Required when writing.",
    )
    organisation_name = serializers.SerializerMethodField(help_text=OWNER_HIDDEN_HELP)
    owner_hidden = serializers.SerializerMethodField(
        help_text="True when the listing is anonymised and its owner is withheld from the reader."
    )
    fields = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=TechField.objects.all(),
        required=False,
        help_text="Technology field codes (see /api/fields/).",
    )
    clusters = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Cluster.objects.all(),
        required=False,
        help_text=(
            "Cluster codes. Empty or left out on creation: the clusters of the owning organisation. "
            "Left out of a partial update: unchanged."
        ),
    )
    url = serializers.SerializerMethodField(help_text="The listing's page.")

    many_to_many: tuple[str, ...] = ("fields", "clusters")
    people_fields: tuple[str, ...] = ()

    class Meta:
        list_serializer_class = ListingListSerializer

    # -- reading --

    def _user(self):
        return self.context["request"].user

    def decide_owner_visibility(self, listings: list) -> None:
        model = self.Meta.model
        self._hidden_ids = access.anonymised_hidden_from(self._user(), model)
        linked: set[int] = set()
        for listing in listings:
            linked |= self._linked_people(listing)
        self._visible_people_ids = set(visible_people(self._user()).filter(pk__in=linked).values_list("pk", flat=True))

    def _linked_people(self, listing) -> set[int]:
        return set()

    def _owner_hidden(self, listing) -> bool:
        hidden = getattr(self, "_hidden_ids", None)
        if hidden is not None:
            return listing.pk in hidden
        return not access.shows_owner(self._user(), listing)

    def _person_visible(self, person_id: int) -> bool:
        decided = getattr(self, "_visible_people_ids", None)
        if decided is not None:
            return person_id in decided
        return visible_people(self._user()).filter(pk=person_id).exists()

    def get_organisation_name(self, listing) -> str | None:
        return None if self._owner_hidden(listing) else listing.organisation.name

    def get_owner_hidden(self, listing) -> bool:
        return self._owner_hidden(listing)

    def get_url(self, listing) -> str:
        return listing.get_absolute_url()

    def to_representation(self, listing) -> dict[str, Any]:
        data = super().to_representation(listing)
        if self._owner_hidden(listing):
            data["organisation"] = None
        return data

    # -- writing --

    def validate_organisation(self, value):
        if value is None:
            raise serializers.ValidationError(_("Choose the organisation."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "organisation" not in attrs:
            raise serializers.ValidationError({"organisation": [_("Choose the organisation.")]})
        return attrs

    def _apply(self, instance, validated_data):
        # A partial update that leaves the clusters out keeps them; the service would otherwise
        # reset them to the organisation's clusters.
        if self.partial and instance.pk is not None and "clusters" not in validated_data:
            validated_data["clusters"] = list(instance.clusters.all())
        return super()._apply(instance, validated_data)


class SeedSerializer(_ListingSerializer):
    """A technology seed (シーズ)."""

    researchers = VisiblePrimaryKeyRelatedField(
        visible_people,
        queryset=Person.objects.all(),
        many=True,
        required=False,
        help_text=f"Ids of the researchers behind the seed (those the reader may see). Empty when the owner is "
        f"withheld. {OWNER_HIDDEN_HELP}",
    )
    keyword_list = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The keywords, split."
    )

    many_to_many = ("fields", "clusters", "researchers")

    class Meta(_ListingSerializer.Meta):
        model = Seed
        fields = [
            "id",
            "url",
            "lang",
            "title",
            "title_ja",
            "title_en",
            "summary_ja",
            "summary_en",
            "organisation",
            "organisation_name",
            "owner_hidden",
            "researchers",
            "keywords",
            "keyword_list",
            "fields",
            "stage",
            "trl",
            "related_patents",
            "clusters",
            "visibility",
            "anonymised",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def _linked_people(self, seed: Seed) -> set[int]:
        return {p.pk for p in seed.researchers.all()}

    def to_representation(self, seed: Seed) -> dict[str, Any]:
        data = super().to_representation(seed)
        if self._owner_hidden(seed):
            data["researchers"] = []
        else:
            data["researchers"] = [pk for pk in data["researchers"] if self._person_visible(pk)]
        return data

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_seed(
            actor, instance, fields=m2m.get("fields"), researchers=m2m.get("researchers"), clusters=m2m.get("clusters")
        )


class NeedSerializer(_ListingSerializer):
    """A company's need (ニーズ)."""

    contact = VisiblePrimaryKeyRelatedField(
        visible_people,
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"The contact person's id. {OWNER_HIDDEN_HELP} Also null when the reader may not see the person.",
    )
    has_challenge = serializers.SerializerMethodField(help_text="Whether the need is published as a challenge.")

    class Meta(_ListingSerializer.Meta):
        model = Need
        fields = [
            "id",
            "url",
            "lang",
            "title",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "organisation",
            "organisation_name",
            "owner_hidden",
            "contact",
            "desired_timing",
            "budget_min_yen",
            "budget_max_yen",
            "fields",
            "clusters",
            "visibility",
            "anonymised",
            "status",
            "has_challenge",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def _linked_people(self, need: Need) -> set[int]:
        return {need.contact_id} if need.contact_id else set()

    def get_has_challenge(self, need: Need) -> bool:
        try:
            return need.challenge is not None
        except Need.challenge.RelatedObjectDoesNotExist:
            return False

    def to_representation(self, need: Need) -> dict[str, Any]:
        data = super().to_representation(need)
        if need.contact_id and (self._owner_hidden(need) or not self._person_visible(need.contact_id)):
            data["contact"] = None
        return data

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_need(actor, instance, fields=m2m.get("fields"), clusters=m2m.get("clusters"))


# --- search results and suggestions -------------------------------------------------------


class HighlightSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Offset of the first highlighted character in `text`.")
    end = serializers.IntegerField(help_text="Offset just past the last highlighted character.")


class PassageSerializer(serializers.Serializer):
    """The best-matching passage as plain text; offsets count Unicode code points of `text`."""

    text = serializers.CharField(help_text="The passage (normalised text: NFKC, full-width folded).")
    highlights = HighlightSerializer(many=True, help_text="The matched terms in `text`, in order.")
    start = serializers.IntegerField(help_text="Where the passage starts in the listing's normalised text.")
    found_by = serializers.ChoiceField(
        choices=[("terms", "terms"), ("meaning", "meaning")],
        help_text="terms: chosen for the shared terms; meaning: closest in meaning (no shared words).",
    )


class SharedTermSerializer(serializers.Serializer):
    term = serializers.CharField(help_text="The term as written in the result (one of `shared_terms`).")
    via = serializers.CharField(
        allow_blank=True,
        help_text="Empty when the query has the term too; else the query's wording it translates"
        " (JMdict gloss): term 'fuel cell', via '燃料電池'.",
    )


class SearchResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 for the best result.")
    kind = serializers.ChoiceField(choices=MATCH_KINDS)
    id = serializers.IntegerField(help_text="The seed's, need's or (for a capability) organisation's id.")
    title = serializers.CharField(help_text="The title, or the organisation's name for a capability.")
    url = serializers.CharField(help_text="The record's page.")
    organisation = serializers.IntegerField(
        allow_null=True, help_text=f"The owning organisation's id (null for a capability). {OWNER_HIDDEN_HELP}"
    )
    organisation_name = serializers.CharField(allow_null=True, help_text=OWNER_HIDDEN_HELP)
    owner_hidden = serializers.BooleanField()
    score = serializers.FloatField(help_text="The fused score the ranking is sorted by.")
    lexical_score = serializers.FloatField(help_text="BM25 score (0 when the words do not match).")
    dense_score = serializers.FloatField(allow_null=True, help_text="Cosine similarity of the meanings.")
    shared_terms = serializers.ListField(
        child=serializers.CharField(), help_text="Terms the result shares with the query, as written in the result."
    )
    shared_term_details = SharedTermSerializer(
        many=True, help_text="The same terms, in the same order, each with what it stands for in the query."
    )
    passage = PassageSerializer(allow_null=True, help_text="The best-matching passage; null when none was found.")


INDEX_READY_HELP = "False until the matching index is first built (`renkei reindex`): there are no results yet."


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    index_ready = serializers.BooleanField(help_text=INDEX_READY_HELP)
    count = serializers.IntegerField(help_text="Number of results returned (at most `top`).")
    results = SearchResultSerializer(many=True)


class SearchQuerySerializer(serializers.Serializer):
    """The query of GET /api/matching/search/: the search page's box and filters."""

    q = serializers.CharField(max_length=5000, help_text="The search text, Japanese or English.")
    kind = serializers.MultipleChoiceField(
        choices=MATCH_KINDS,
        required=False,
        help_text="What to search (repeat for several); all kinds when left out.",
    )
    field = serializers.SlugRelatedField(
        slug_field="code", queryset=TechField.objects.all(), required=False, help_text="Technology field code."
    )
    prefecture = serializers.SlugRelatedField(
        slug_field="code", queryset=Prefecture.objects.all(), required=False, help_text="JIS prefecture code."
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=BureauRegion.objects.all(), required=False, help_text="Bureau region code."
    )
    organisation_kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    programme = serializers.SlugRelatedField(
        slug_field="code", queryset=Programme.objects.all(), required=False, help_text="Programme code."
    )
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), required=False, help_text="Cluster code."
    )
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, help_text="Seeds at this stage only.")
    since = serializers.DateField(required=False, help_text="Added on or after this date.")
    top = serializers.IntegerField(min_value=1, max_value=100, default=20, help_text="How many results.")

    def validate_q(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the search text."))
        return value


class FeedbackSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(help_text="The username of the coordinator who judged.")

    class Meta:
        model = Feedback
        fields = ["id", "target_kind", "target_id", "verdict", "decline_reason", "note", "author", "updated_at"]

    def get_author(self, feedback: Feedback) -> str | None:
        return feedback.author.get_username() if feedback.author_id else None


class SeedSuggestionSerializer(SearchResultSerializer):
    feedback = FeedbackSerializer(
        many=True, help_text="Coordinators' verdicts on this suggestion (empty for readers who may not see them)."
    )


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("seed", "seed"), ("capability", "capability"), ("keyword", "keyword")])
    label = serializers.CharField(help_text="The seed's title, the organisation's name or the research keyword.")
    text = serializers.CharField(help_text="The reason as the need's page shows it.")
    weight = serializers.FloatField(help_text="How much the reason adds to the partner's score.")
    shared_terms = serializers.ListField(
        child=serializers.CharField(),
        help_text="Terms the seed or capability shares with the need, as written in the seed or capability.",
    )
    shared_term_details = SharedTermSerializer(
        many=True, help_text="The same terms, in the same order, each with what it stands for in the need."
    )
    seed = serializers.IntegerField(allow_null=True, help_text="The seed that is the evidence, if any.")


class PartnerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("organisation", "organisation"), ("person", "person")])
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()
    score = serializers.FloatField(help_text="The sum of the evidence weights.")
    reasons = EvidenceSerializer(many=True)
    feedback = FeedbackSerializer(many=True)


class SuggestionsSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    index_ready = serializers.BooleanField(help_text=INDEX_READY_HELP)
    seeds = SeedSuggestionSerializer(many=True)
    organisations = PartnerSerializer(many=True)
    people = PartnerSerializer(many=True)
    can_give_feedback = serializers.BooleanField(help_text="Whether the reader may mark these suggestions.")


class FeedbackRequestSerializer(serializers.Serializer):
    target_kind = serializers.ChoiceField(choices=TargetKind.choices, help_text="What the suggestion is.")
    target_id = serializers.IntegerField(min_value=1, help_text="The seed's, organisation's or person's id.")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why it is not useful (kept only with the verdict not_useful).",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- expressions of interest --------------------------------------------------------------


class ListingLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class InterestSerializer(serializers.ModelSerializer):
    listing_kind = serializers.SerializerMethodField(help_text="seed or need.")
    listing_title = serializers.SerializerMethodField()
    sent_by_you = serializers.SerializerMethodField(help_text="Whether the reader sent it.")
    can_decline = serializers.SerializerMethodField(help_text="Whether the reader may decline it now.")
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices, allow_blank=True, read_only=True, help_text="Blank unless declined."
    )

    class Meta:
        model = Interest
        fields = [
            "id",
            "seed",
            "need",
            "listing_kind",
            "listing_title",
            "sender_name",
            "sender_organisation",
            "sender_email",
            "message",
            "routed_to_coordinator",
            "status",
            "decline_reason",
            "decline_text",
            "sent_by_you",
            "can_decline",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_listing_kind(self, interest: Interest) -> str:
        return "seed" if interest.seed_id else "need"

    def get_listing_title(self, interest: Interest) -> str:
        return interest.listing.title

    def get_sent_by_you(self, interest: Interest) -> bool:
        user = self.context["request"].user
        return user.is_authenticated and interest.sender_id == user.pk

    def get_can_decline(self, interest: Interest) -> bool:
        return interest.status != "declined" and access.can_answer_interest(
            self.context["request"].user, interest.listing
        )


class InterestCreateSerializer(serializers.Serializer):
    """An expression of interest in one seed or one need. Signed-in senders may leave out their
    name and e-mail: the account's are used."""

    seed = VisiblePrimaryKeyRelatedField(
        access.visible_seeds, queryset=Seed.objects.all(), required=False, allow_null=True, help_text="The seed's id."
    )
    need = VisiblePrimaryKeyRelatedField(
        access.visible_needs, queryset=Need.objects.all(), required=False, allow_null=True, help_text="The need's id."
    )
    sender_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sender_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sender_email = serializers.EmailField(required=False, allow_blank=True)
    message = serializers.CharField(max_length=2000, help_text="At most 2,000 characters.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        seed, need = attrs.get("seed"), attrs.get("need")
        if (seed is None) == (need is None):
            raise serializers.ValidationError({"seed": [_("Give either a seed or a need.")]})
        user = self.context["request"].user
        if user.is_authenticated:
            attrs.setdefault("sender_name", user.get_full_name() or user.get_username())
            attrs["sender_name"] = attrs["sender_name"] or user.get_full_name() or user.get_username()
            attrs["sender_email"] = attrs.get("sender_email") or user.email
        errors = {}
        if not (attrs.get("sender_name") or "").strip():
            errors["sender_name"] = [_("This field is required.")]
        if not (attrs.get("sender_email") or "").strip():
            errors["sender_email"] = [_("This field is required.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DeclineSerializer(serializers.Serializer):
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices)
    decline_text = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Required with the reason other."
    )


# --- alerts and inbox ---------------------------------------------------------------------


class AlertSerializer(serializers.ModelSerializer):
    query = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The search text; or give a need instead.",
    )
    need = VisiblePrimaryKeyRelatedField(
        access.visible_needs,
        queryset=Need.objects.all(),
        required=False,
        allow_null=True,
        help_text="A need whose text is the search.",
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    class Meta:
        model = Alert
        fields = ["id", "name", "query", "need", "active", "created_at", "updated_at"]
        read_only_fields = ["active", "created_at", "updated_at"]

    def create(self, validated_data: dict[str, Any]) -> Alert:
        return services.do_save_alert(
            self.context["request"].user,
            name=validated_data.get("name", ""),
            query=validated_data.get("query", ""),
            need=validated_data.get("need"),
        )


@extend_schema_field(ListingLinkSerializer(allow_null=True))
class ListingLinkField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, listing) -> dict[str, Any] | None:
        return None if listing is None else {"id": listing.pk, "title": listing.title}

    def get_attribute(self, instance):
        return getattr(instance, self.source)


class InboxItemSerializer(serializers.ModelSerializer):
    seed = ListingLinkField(help_text="The seed the item is about, if any.")
    need = ListingLinkField(help_text="The need the item is about, if any.")

    class Meta:
        model = InboxItem
        fields = ["id", "kind", "alert", "seed", "need", "interest", "proposal", "reason", "read", "created_at"]
        read_only_fields = fields
