from ninja import Schema


class HitOut(Schema):
    title: str
    url: str
    detail: str


class GroupOut(Schema):
    kind: str
    label: str
    count: int
    hits: list[HitOut]
