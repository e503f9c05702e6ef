"""The directory's pure rules: departments from DNs, roles from groups, heads from managers or a group."""

from closeloop.directory import rules
from closeloop.directory.rules import Entry

BASE = "ou=people,dc=corp,dc=test"


def test_the_units_between_the_entry_and_the_base_are_the_department_path():
    assert rules.department_path(f"uid=chen,ou=大客户组,ou=销售部,{BASE}", BASE) == ("销售部", "大客户组")
    assert rules.department_path(f"uid=boss,{BASE}", BASE) == ()


def test_an_attribute_value_wins_over_the_units_and_may_be_a_path():
    assert rules.department_path_for(dn=f"uid=a,ou=X,{BASE}", user_base=BASE, attribute_value="销售部 / 大客户组") == (
        "销售部", "大客户组")


def test_group_dns_compare_regardless_of_case_and_spacing():
    admins = "cn=Admins,ou=Groups,dc=corp,dc=test"
    assert rules.role_for({"CN=admins, OU=groups, DC=corp, DC=test"}, admin_group=admins) == rules.ADMIN
    assert rules.role_for(set(), admin_group=admins, heads_a_department=True) == rules.HEAD
    assert rules.role_for(set(), admin_group=admins) == rules.MEMBER


def test_the_head_is_the_manager_most_people_name_then_by_name_and_a_head_group_wins():
    boss = Entry(dn=f"uid=boss,ou=销售部,{BASE}", username="boss", department_path=("销售部",))
    other = Entry(dn=f"uid=other,ou=销售部,{BASE}", username="other", department_path=("销售部",))
    people = [boss, other,
              Entry(dn="uid=a", username="a", department_path=("销售部",), manager_dn=boss.dn.upper()),
              Entry(dn="uid=b", username="b", department_path=("销售部",), manager_dn=boss.dn),
              Entry(dn="uid=c", username="c", department_path=("销售部",), manager_dn=other.dn)]
    assert rules.elect_heads(people) == {("销售部",): "boss"}
    grouped = [*people[:4], other._replace(groups=frozenset({"cn=heads"}))]
    assert rules.elect_heads(grouped, head_group="cn=heads") == {("销售部",): "other"}


def test_active_directory_marks_disabled_accounts_in_user_account_control():
    assert rules.ad_disabled("514") and not rules.ad_disabled("512") and not rules.ad_disabled("")
