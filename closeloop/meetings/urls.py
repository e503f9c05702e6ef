from .urls_agenda import urlpatterns as agenda_patterns
from .urls_notice import urlpatterns as notice_patterns
from .urls_planning import urlpatterns as planning_patterns

app_name = "meetings"
urlpatterns = planning_patterns + agenda_patterns + notice_patterns
