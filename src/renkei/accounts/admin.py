from django.contrib import admin

from renkei.accounts.models import LoginFailure, Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "cluster", "organisation"]
    list_filter = ["kind", "cluster"]
    raw_id_fields = ["user", "organisation"]
    search_fields = ["user__username"]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "address", "at"]
    search_fields = ["username", "address"]
