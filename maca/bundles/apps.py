from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "maca.bundles"
    label = "bundles"
