// Package terms holds the Chinese names of the API's enumerated values (stages, case types,
// enrolment statuses, actions, lines, roles, focus groups, causes, placements, outcomes, sex): one table for the plugin's
// output and the controllers' condition messages.
package terms

// chinese maps an API value to its Chinese name.
var chinese = map[string]string{
	// Stages.
	"SchoolReported": "已报学校", "TownshipReported": "已报乡镇", "ReturnNoticeIssued": "已发复学通知",
	"LegalAction": "依法控辍", "Returned": "已返校（跟踪中）", "Closed": "已销号", "AtRisk": "有辍学风险",
	// Case types.
	"DroppedOut": "辍学", "NotEnrolled": "失学",
	// Enrolment.
	"Enrolled": "在籍", "TransferredOut": "转学", "SuspendedForIllness": "休学",
	"Deferred": "延缓入学", "HomeDelivered": "送教上门", "StudyingElsewhere": "异地就读", "Completed": "已完成义务教育",
	// Actions.
	"PhoneCall": "电话联系", "HomeVisit": "家访劝返", "PersuasionLetter": "劝学书", "DropoutReport": "辍学报告书",
	"ReturnNotice": "复学通知书", "LegalReferral": "依法控辍", "SupportGranted": "资助帮扶", "SubmitRollCall": "补报考勤",
	// Lines and roles.
	"Education": "学校线", "Government": "政府线",
	"CountyGovernment": "县政府", "CountyBureau": "县教育局", "CentralSchool": "中心校", "Principal": "校长",
	"GradeLeader": "年级负责人", "HomeroomTeacher": "班主任", "SubjectTeacher": "科任教师",
	"TownshipCadre": "乡镇干部", "VillageCadre": "村干部", "GroupLeader": "村民小组长",
	// Support missing (SupportMissing reasons).
	"AidMissing": "资助未到位", "PairingMissing": "未结对帮扶", "HomeTeachingShortWeek": "送教不足",
	// Focus groups.
	"LeftBehind": "留守儿童", "Disability": "残疾儿童", "RegisteredPoor": "建档立卡", "Migrant": "随迁子女",
	"LearningDifficulty": "学困生",
	// Causes (Disability and LearningDifficulty read as the focus groups above).
	"Unknown": "未查明", "FamilyHardship": "家庭贫困", "WorkingOrMigrating": "外出务工", "Illness": "疾病",
	"Marriage": "早婚", "FarFromSchool": "路远上学难", "TruancyOrAddiction": "逃学或沉迷网络", "Other": "其他",
	// Placements after persuasion (劝返).
	"OwnSchool": "回原校就读", "OtherSchool": "转入县内其他学校", "VocationalSchool": "职业学校",
	"SpecialSchool": "特殊教育学校", "HomeTeaching": "送教上门", "NotReturned": "未返校",
	// Outcomes of an action.
	"NoContact": "未联系上", "Contacted": "已联系", "Refused": "拒绝返校", "Promised": "承诺返校",
	// Sex and flags.
	"Male": "男", "Female": "女", "Overdue": "逾期",
}

// Chinese is the Chinese name of an API value, and whether it has one.
func Chinese(value string) (string, bool) {
	zh, ok := chinese[value]
	return zh, ok
}

// Name is the Chinese name of an API value followed by the value, "复学通知书 ReturnNotice", or
// the value alone when it has no Chinese name.
func Name[T ~string](value T) string {
	if zh, ok := chinese[string(value)]; ok {
		return zh + " " + string(value)
	}
	return string(value)
}
