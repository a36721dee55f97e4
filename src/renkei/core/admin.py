from django.contrib import admin

from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField


@admin.register(BureauRegion)
class BureauRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "sort_order"]


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "region"]
    list_filter = ["region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "prefecture"]
    list_filter = ["prefecture"]
    search_fields = ["code", "name_ja", "name_en", "name_kana"]


@admin.register(IndustryClass)
class IndustryClassAdmin(admin.ModelAdmin):
    list_display = ["revision", "code", "level", "name_ja", "name_en"]
    list_filter = ["revision", "level"]
    search_fields = ["code", "name_ja", "name_en"]


@admin.register(TechField)
class TechFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "sort_order"]
