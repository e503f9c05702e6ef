"""The small grammar's word lists: surnames, titles, department suffixes, verbs and markers.

Word lists, not a model: a recorder's notes use a narrow register (who does what by when), and these closed
classes (surnames, the suffixes of department and role names, deadline words, reporting verbs) cover it.
"""

import re

# The ~200 most common single-character surnames and the compound ones; characters that are far more often
# ordinary words at the start of a clause (和, 由, 时, 全, 明, 国, 成, 原, 平, 都, 来, 那, 但) are left out.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟"
    "邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊仝郜阚权帅屠朴练廉禹井祖漆巴丰支卿狄"
    "计索宣晋初芮浦戈伏鹿薄邸雍辜羊裘亓修邰赫杭况宿印逯隆茹诸战慕危亢嵇湛宾戎勾茅揭尉冶束檀衣昝幸奉衡富尧"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "夏侯", "尉迟", "公孙",
                     "长孙", "宇文", "司徒", "端木", "独孤", "南宫", "西门")
# A surname followed by one of these is a person too: 王经理, 张总, 陈工, 李老师.
PERSON_TITLES = ("总经理", "副总", "经理", "总监", "主管", "主任", "老师", "总", "工", "博士", "部长", "处长",
                 "科长", "组长", "老板", "助理", "秘书", "律师", "会计", "姐", "哥", "董")
# Department and role names end with one of these.
UNIT_SUFFIXES = ("部门", "事业部", "部", "中心", "办公室", "办", "小组", "组", "团队", "委员会", "工作组", "科",
                 "处", "室", "分公司", "子公司", "公司", "事业群", "项目组", "团", "BU", "线")
ROLE_SUFFIXES = ("负责人", "经理", "总监", "主管", "专员", "总裁", "主任", "工程师", "架构师", "设计师", "分析师",
                 "顾问", "助理", "秘书", "代表", "对接人", "接口人", "管理员", "组长", "部长", "处长", "科长",
                 "董事长", "总经理", "副总", "老板", "同事", "人员", "owner", "PM", "PMO")
# A function named alone is an owner in notes: "法务下周前审核合同".
FUNCTIONS = frozenset({
    "法务", "财务", "人事", "人资", "行政", "采购", "运营", "市场", "销售", "研发", "测试", "产品", "技术", "客服",
    "设计", "运维", "前端", "后端", "品牌", "公关", "商务", "供应链", "物流", "仓储", "生产", "质检", "质量", "安全",
    "审计", "风控", "合规", "HR", "IT", "QA", "PMO", "PM", "BD", "UI", "UX", "CEO", "CFO", "CTO", "COO",
})
# Words that stand where an owner stands but name nobody in particular.
NOBODY = frozenset({
    "我们", "大家", "我", "你", "你们", "他", "她", "他们", "她们", "有人", "相关人员", "相关同事", "各位", "咱们",
    "对方", "双方", "各方", "谁", "we", "i", "you", "they", "someone", "somebody", "everyone", "everybody", "all",
    "us", "he", "she", "it", "one", "anyone", "nobody", "team", "the team",
})

# Verbs that start a task (the owner's name ends where one begins).
ACTION_VERBS = (
    "提交", "完成", "整理", "输出", "汇总", "交付", "上报", "报送", "提报", "组织", "提供", "发布", "出具", "确认",
    "审核", "审批", "审阅", "审查", "跟进", "关注", "加强", "推进", "推动", "制定", "拟定", "起草", "修订", "修改",
    "设计", "更新", "部署", "建立", "搭建", "梳理", "看看", "看一下", "提升", "提高", "改进", "改善", "优化", "完善",
    "上线", "对接", "准备", "安排", "发送", "发出", "发给", "发到", "通知", "联系", "落实", "协调", "检查", "排查",
    "评估", "调研", "分析", "编写", "撰写", "编制", "核对", "核实", "核查", "测试", "开发", "实施", "执行", "解决",
    "处理", "反馈", "回复", "召开", "筹备", "策划", "申请", "采购", "签订", "签署", "补充", "收集", "统计", "跟踪",
    "督促", "复核", "对比", "研究", "沟通", "培训", "招聘", "迁移", "备份", "演练", "上传", "下发", "转发", "共享",
    "同步", "明确", "细化", "拆解", "落地", "启动", "开展", "做好", "拿出", "给出", "列出", "搞定", "定稿", "录入",
    "导出", "评审", "验收", "报批", "核算", "结算", "支付", "催收", "发起", "组建", "邀请", "预约", "预订", "压缩",
    "降低", "减少", "增加", "控制", "清理", "归档", "盘点", "调整", "投放", "推广", "宣传", "印刷", "购买", "下单",
    "报价", "补齐", "对齐", "出", "交", "写", "做", "发", "改", "查", "审",
)
# Words right after an owner that show the owner is being given the task.
ASSIGN_AFTER = ("负责", "牵头", "主导", "统筹", "跟进")
MODALS = ("必须", "务必", "需要", "应该", "须", "需", "要", "应", "将", "会", "得")
ADVERBS = ("尽快", "马上", "立即", "立刻", "赶紧", "抓紧", "会后", "后续", "随后", "之后", "稍后", "再", "先", "每",
           "统一", "全面", "继续", "专门", "具体", "分别",
           "一起", "共同", "一同", "协同", "联合", "配合", "同步")
CONNECTORS = ("以及", "和", "与", "及", "、", "/", "&", ",", " and ", " & ")
# Words after which a name cannot go on.
STOPS = ASSIGN_AFTER + MODALS + ADVERBS + (
    "在", "于", "把", "将", "来", "去", "的", "了", "是", "为", "对", "给", "也", "都", "已", "还", "就", "说",
    "认为", "觉得", "表示", "提到", "介绍", "汇报", "提出", "补充", "问", "要求", "希望", "同意", "决定", "批准",
    "通过", "确定", "担任", "主持", "不", "没", "未", "仍", "有", "这", "那", "该", "和", "与", "及",
)
PARTICLES = frozenset("的了是在对给也都已还就说把将为不没未仍有这那该和与及")

DEMONSTRATIVES = ("该问题", "这个问题", "此问题", "这件事", "此事", "该事项", "此项", "该项", "这项工作", "该工作",
                  "这个事", "这事", "以上", "上述")

# Reporting, viewpoint and background verbs: who said or thought what (not an assignment).
REPORTING = re.compile(
    r"(认为|觉得|表示|提到|介绍了|介绍|汇报|补充说|补充道|反馈|提醒|指出|强调|说(?!明|服)|讲到|谈到|回顾了|回顾|"
    r"提出(?!的)|问[:：]|问道|希望|建议(?!书)|担心|透露|分享了|通报了|"
    r"\b(?:thinks?|thought|said|says|mentioned|noted|reported|explained|presented|suggested|asked|"
    r"discussed|raised|believes?|felt|feels|shared|reminded|pointed out|wondered)\b)",
    re.IGNORECASE)
DISAGREEMENT = re.compile(
    r"(不同意|有分歧|分歧|意见不一|意见不统一|未达成一致|没有达成一致|未能达成|尚未达成|未形成结论|没有结论|暂无结论|"
    r"暂未讨论|待定|有争议|暂不做决定|暂不决定|暂缓决定|未作决定|未做决定|没有决定|尚未决定|下次再议|留待下次|"
    r"另行讨论|存在争议|\bdisagree|no (?:conclusion|agreement|decision) (?:was|has been) reached|"
    r"did not agree|not agreed|undecided|\bpending\b|unresolved)", re.IGNORECASE)
QUESTION = re.compile(r"([?？]\s*$|^(?:question|q)\s*(?:from [^:]+)?[:：]|问[:：]|是否.*[?？]|吗[?？。]?$)",
                      re.IGNORECASE)
PAST = re.compile(
    r"(已经|已于|已完成|已提交|已上线|已发|已延期|已经把|之前也|遇到过|做过|上周已|昨天|去年|上次会议|上个月|"
    r"原计划|曾经|过了|累计|截至目前|截至\d|了[。.!]?$|\b(?:was|were|had|did|visited|completed|finished|"
    r"delivered|sent|submitted|grew|increased|decreased|dropped)\b)", re.IGNORECASE)
DECISION = re.compile(
    r"(会议决定|决定|决议|一致通过|一致同意|审议通过|通过了|会议通过|获得通过|表决通过|同意|批准|核准|"
    r"确定|定为|定于|定在|定下来|会议明确|明确[:：]|敲定|拍板|议定|商定|达成一致|会议确认|担任|任命|出任|确认[:：]|维持不变|保持不变|不再考虑|"
    r"\b(?:agreed|approved|decided|decision|resolved|appointed|confirmed that|signed off|ratified|adopted|"
    r"will remain|stays? (?:at|as|the same)|is renewed|goes ahead)\b)", re.IGNORECASE)
# Decision wording at the start of a note, dropped before looking for an assignment inside it.
DECISION_PREFIX = re.compile(
    r"^(?:会议|经讨论|经研究|经协商|经投票|与会人员|与会各方|大家|全体|双方|各方)?[,，]?\s*"
    r"(?:一致|最终|会上)?(?:决定|同意|通过|确定|确认|议定|商定|批准)(?:了)?\s*[:：,，]?\s*")
NEED = re.compile(r"(需要|须|必须|务必|应当|\bneeds? to\b|\bmust\b|\bhave to\b|\bhas to\b|\bshould\b)",
                  re.IGNORECASE)

# A vague verb followed by one of these names a deliverable (渠道优化方案), which is not vague.
_DELIVERABLE_NOUN = r"(?!方案|报告|计划|建议|清单|措施|策略|文档|说明|设计|记录|结果|版|稿)"
VAGUE_TASK = re.compile(
    r"(一下|看看|研究研究|考虑|关注|留意|注意|重视|加强|加大|提升" + _DELIVERABLE_NOUN + r"|提高(?!到|至)"
    + _DELIVERABLE_NOUN + r"|改进" + _DELIVERABLE_NOUN + r"|改善" + _DELIVERABLE_NOUN + r"|完善" + _DELIVERABLE_NOUN
    + r"|优化" + _DELIVERABLE_NOUN + r"|尽量|争取|"
    r"\b(?:improve|look into|look at|follow up(?! with a)|keep an eye|consider|think about|work on|enhance|"
    r"optimi[sz]e|strengthen|check on|deal with|handle)\b)", re.IGNORECASE)
VAGUE_ANYWHERE = re.compile(
    r"(尽快|尽早|抓紧|有空|有时间|适当|择机|视情况|\basap\b|as soon as possible|at some point|when possible|"
    r"soonish|sometime)", re.IGNORECASE)
