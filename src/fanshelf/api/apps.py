from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fanshelf.api"
    label = "api"
