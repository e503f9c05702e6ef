from .urls_calendar import urlpatterns as calendar_patterns
from .urls_settings import urlpatterns as settings_patterns

app_name = "org"
urlpatterns = calendar_patterns + settings_patterns
