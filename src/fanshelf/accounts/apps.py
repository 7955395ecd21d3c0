from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fanshelf.accounts"
    label = "accounts"
