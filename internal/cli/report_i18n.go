package cli

// zhReportMessages are the Chinese texts of the monthly report's exports and commands, keyed by
// their English text like zhMessages.
var zhReportMessages = map[string]string{
	"en":                          "zh-CN",
	"report %s confirmed by %s\n": "月报 %s 已由 %s 确认\n",
	"report %s was already confirmed by %s at %s; nothing changed\n": "月报 %s 已由 %s 于 %s 确认，未作改动\n",
	"Monthly report %s: %s": "%s 控辍保学月报：%s",

	"Figures": "数据", "Cases": "案件", "Section": "类别", "Item": "项目", "Value": "数值",
	"Case": "案件", "Event": "本期情况", "Stage": "阶段", "Placement": "安置去向",
	"School": "学校", "Township": "乡镇", "County": "县",
	"Opened": "新立案", "Confirmed": "已确认", "Returned": "劝返", "Open": "在案",
	"OwnSchool": "回原校", "OtherSchool": "转入县内其他学校", "VocationalSchool": "职业学校",
	"SpecialSchool": "特殊教育学校", "HomeTeaching": "送教上门", "NotReturned": "未返校",

	"Report": "月报", "Level": "级别", "Scope": "范围", "Month": "月份", "Period": "统计期间",
	"Cut-off day": "截止日", "Due": "应确认日", "Confirmed by": "确认人", "Confirmed at": "确认时间", "Late": "逾期",
	"Enrolment": "入学", "Children": "儿童数", "School-age": "适龄儿童", "Enrolled": "在籍", "Attending": "正常到校", "At risk": "有辍学风险",
	"This period": "本期", "New suspected dropouts": "新增疑似辍学", "New not enrolled": "新增失学",
	"Newly confirmed dropouts": "新确认辍学",
	"back in own school":       "其中回原校", "in another school": "其中转入其他学校", "in a vocational school": "其中职业学校",
	"in a special school": "其中特殊教育学校", "taught at home": "其中送教上门", "placement not recorded": "其中去向未记录",
	"Open cases": "在案案件", "Rates": "比率", "Targets met": "完成目标",
	"Primary enrolment": "小学入学率", "Junior enrolment": "初中入学率", "Consolidation": "巩固率",
	"Dropout (now)": "辍学率（当前）", "School-year dropout": "学年辍学率", "Primary school-year dropout": "小学学年辍学率",
	"Junior school-year dropout": "初中学年辍学率", "Disability enrolment": "三类残疾儿童入学率",
	"Registered-poor consolidation": "建档立卡学生巩固率",
	"Assessment":                    "考核", "Points": "分数", "Vetoed": "一票否决", "Fine (yuan)": "罚款（元）",
	"Roll calls": "考勤上报", "School days": "上报日数", "Roll calls received": "收到点名次数",
	"Missing roll calls": "缺报次数", "Classes missing a roll call": "缺报班级数",
	"Focus groups": "重点群体", "school-age": "适龄", "enrolled": "在籍", "open cases": "在案",
	"target": "目标", "yes": "是", "no": "否",
	"School-year dropout rate by township against target": "各乡镇学年辍学率与目标",
	"Rates against targets":                               "各项比率与目标",
	"Open cases by stage":                                 "在案案件（按阶段）",
	"Confirmed dropouts open, by month":                   "在案辍学人数（按月）",
	"confirmed dropouts open on the cut-off day":          "截止日在案的已确认辍学人数",
}
