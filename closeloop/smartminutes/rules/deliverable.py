"""What an action item hands over, read from its task: "提交渠道报告" → "渠道报告", "send the pricing sheet to
Sales" → "the pricing sheet". None when the task names no thing to hand over (加强渠道管理, look into …)."""

from __future__ import annotations

import re

from .lexicon import VAGUE_TASK

_CN_VERB = (r"(?:提交|输出|交付|出具|上报|报送|提报|发布|提供|完成|起草|拟定|制定|编写|撰写|编制|整理|汇总|发出|"
            r"更新|修订|建立|设计|准备)(?:好|完|出)?")
_CN = re.compile(r"^" + _CN_VERB + r"(?P<thing>.{2,40}?)(?:(?:发|交|提交|报|送)(?:给|到|至).*)?$")
_CN_BA = re.compile(r"^把(?P<thing>.{2,30}?)(?:整理成|做成|改成|写成)(?P<into>.{2,20})$|^把(?P<obj>.{2,30}?)"
                    r"(?:发给|交给|提交给|发到|报给|送给|部署好|确认完|准备好|发出|整理好|定稿)")
_NOUN_END = re.compile(r"(报告|方案|清单|计划|表|稿|说明|纪要|意见书?|记录|数据|手册|模板|合同|预算|名单|包|页面|"
                       r"制度|策划案|材料|课件|协议|总结|分析|文档|初稿|排期表|看板|报价单|问卷|环境)$")
_EN = re.compile(r"^(?:send|submit|deliver|draft|prepare|circulate|finalize|finalise|publish|provide|write|"
                 r"complete|update|share)\s+(?P<thing>.+?)(?:\s+(?:to|with|for)\s+.+)?$", re.IGNORECASE)


def deliverable_of(task: str | None) -> str | None:
    """The thing the task delivers, or None."""
    task = (task or "").strip()
    if not task or VAGUE_TASK.search(task):
        return None
    m = _EN.match(task)
    if m:
        return m["thing"].strip() or None
    m = _CN_BA.match(task)
    if m:
        return (m["into"] or m["thing"] or m["obj"]).strip()
    m = _CN.match(task)
    if m:
        thing = m["thing"].split("并")[0].strip()
        if _NOUN_END.search(re.sub(r"\s*[(（][^)）]*[)）]$", "", thing)):
            return thing
    return None
