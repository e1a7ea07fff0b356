"""The catalogue in the Django admin, for council-wide system administrators to keep items,
topics, providers, venues and programmes (with their items in order and their cohorts).
Sessions and bookings change only through the L&D pages and the booking rules, so they are not
here."""

from django.contrib import admin

from peopleplan.learning.models import (
    LearningItem,
    Programme,
    ProgrammeItem,
    ProgrammeMember,
    Provider,
    Topic,
    Venue,
)


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "is_internal", "contact_email")
    search_fields = ("name",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(LearningItem)
class LearningItemAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "provider", "approval", "is_active")
    list_filter = ("kind", "approval", "is_active", "topics")
    search_fields = ("code", "title", "summary")
    autocomplete_fields = ("provider", "prerequisites")
    filter_horizontal = ("topics",)


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    autocomplete_fields = ("item",)
    extra = 1


class ProgrammeMemberInline(admin.TabularInline):
    model = ProgrammeMember
    autocomplete_fields = ("person",)
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "required_count")
    search_fields = ("code", "title")
    inlines = (ProgrammeItemInline, ProgrammeMemberInline)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "room_size", "is_active")
    search_fields = ("name", "address")
