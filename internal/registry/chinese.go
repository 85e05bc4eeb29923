package registry

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"
)

// chineseColumns names our columns as the national student-registry export (全国中小学生学籍
// 信息管理系统) and the schools' attendance sheets head them: the one table to extend when an
// export names a column differently. The first name of each column is the one our sample files
// and messages use. Names are compared after normalizeHeader. A name that is not a column of the
// file being read is ignored with a warning.
var chineseColumns = []struct {
	column string
	names  []string
}{
	// Registry: identity.
	{ColResidentID, []string{"身份证件号", "身份证件号码", "身份证号", "身份证号码", "公民身份号码"}},
	{ColStudentNumber, []string{"全国学籍号", "学籍号", "学籍编号"}},
	{ColName, []string{"姓名", "学生姓名"}},
	{ColSex, []string{"性别"}},
	{ColBirthDate, []string{"出生日期"}},
	// Registry: residence, by administrative code.
	{ColTownship, []string{"乡镇代码", "乡镇(街道)代码", "户籍所在乡镇代码", "现住址乡镇代码"}},
	{ColVillage, []string{"村代码", "村(社区)代码", "行政村代码", "现住址村代码"}},
	{ColGroup, []string{"村民小组代码", "组代码"}},
	// Registry: enrolment.
	{ColEnrolmentStatus, []string{"学籍状态", "学生状态", "就读状态"}},
	{ColEnrolmentSince, []string{"状态起始日期", "学籍状态起始日期", "变动日期"}},
	{ColSchool, []string{"学校标识码", "学校代码"}}, // also the school of attendance files
	{ColGrade, []string{"年级"}},
	{ColClass, []string{"班级", "班号"}},
	{ColEvidenceCertificate, []string{"证明编号", "证明文件编号"}},
	{ColEvidenceIssuedBy, []string{"证明出具单位", "出具单位"}},
	{ColEvidenceIssuedOn, []string{"证明日期", "出具日期"}},
	{ColEvidenceReceiving, []string{"转入学校", "接收学校", "就读学校"}},
	{ColEvidenceApprovedBy, []string{"审批单位", "批准单位"}},
	{ColEvidenceUntil, []string{"有效期至", "截止日期"}},
	{ColDeferredBefore, []string{"曾延缓入学", "是否曾延缓入学"}},
	// Registry: guardians and focus groups.
	{ColGuardianName, []string{"监护人姓名", "监护人一姓名", "第一监护人姓名"}},
	{ColGuardianRelation, []string{"监护人关系", "监护人一关系", "与学生关系"}},
	{ColGuardianPhone, []string{"监护人联系电话", "监护人一联系电话", "监护人电话"}},
	{ColGuardian2Name, []string{"监护人二姓名", "第二监护人姓名"}},
	{ColGuardian2Relation, []string{"监护人二关系"}},
	{ColGuardian2Phone, []string{"监护人二联系电话", "监护人二电话"}},
	{ColFocusGroups, []string{"重点群体"}},
	// Attendance and action files (学校标识码, 年级 and 班级 as above).
	{ColAttDate, []string{"日期", "考勤日期"}},
	{ColAttReporter, []string{"报告人", "填报人"}},
	{ColAttKind, []string{"缺勤类型", "缺勤"}},
	{ColAttNote, []string{"备注"}},
	{ColActAction, []string{"事项", "工作类型"}},
	{ColActBy, []string{"经办人"}},
	{ColActLine, []string{"责任线"}},
	{ColActOutcome, []string{"结果"}},
	{ColActDeadline, []string{"期限"}},
}

// columnAliases is chineseColumns by normalised name.
var columnAliases = func() map[string]string {
	m := map[string]string{}
	for _, c := range chineseColumns {
		for _, n := range c.names {
			m[normalizeHeader(n)] = c.column
		}
	}
	return m
}()

// normalizeHeader folds full-width characters (（）, letters) to their narrow forms and drops
// spaces, so "乡镇（街道）代码 " and "乡镇(街道)代码" match.
func normalizeHeader(cell string) string {
	s := width.Narrow.String(strings.TrimSpace(cell))
	return strings.ReplaceAll(s, " ", "")
}

// ChineseName is the usual Chinese heading of a column, for messages.
func ChineseName(col string) string {
	if col == ColAttStudentID {
		return "全国学籍号"
	}
	for _, c := range chineseColumns {
		if c.column == col {
			return c.names[0]
		}
	}
	return col
}

// idAliases head the one ID column of attendance and action files (student_id), whichever
// ID it holds: schools name children by their student number (学籍号).
var idAliases = map[string]bool{"全国学籍号": true, "学籍号": true, "身份证件号": true, "身份证号": true, "学生证件号": true}

// enrolmentAliases are the export's Chinese enrolment statuses.
var enrolmentAliases = map[string]string{
	"在籍": "Enrolled", "在读": "Enrolled", "在校": "Enrolled",
	"未入学": "NotEnrolled", "失学": "NotEnrolled", "辍学": "NotEnrolled",
	"转出": "TransferredOut", "转学": "TransferredOut",
	"休学": "SuspendedForIllness", "延缓入学": "Deferred", "缓学": "Deferred",
	"送教上门": "HomeDelivered", "异地就读": "StudyingElsewhere", "随迁就读": "StudyingElsewhere",
	"毕业": "Completed", "已毕业": "Completed", "完成义务教育": "Completed",
}

var focusAliases = map[string]string{
	"留守儿童": "LeftBehind", "留守": "LeftBehind",
	"残疾儿童": "Disability", "残疾": "Disability",
	"建档立卡": "RegisteredPoor", "建档立卡户": "RegisteredPoor",
	"随迁子女": "Migrant", "随迁": "Migrant",
	"学困生": "LearningDifficulty",
}

var gradeNames = map[string]int{
	"一年级": 1, "二年级": 2, "三年级": 3, "四年级": 4, "五年级": 5, "六年级": 6,
	"七年级": 7, "八年级": 8, "九年级": 9, "初一": 7, "初二": 8, "初三": 9,
}

var classSuffix = regexp.MustCompile(`^([0-9]{1,2})\s*班$`)

// normalizeGradeOrClass accepts "三年级", "初一", "2班" and "(2)班" as well as digits.
func normalizeGradeOrClass(s string) string {
	s = width.Narrow.String(strings.TrimSpace(s))
	if n, ok := gradeNames[s]; ok {
		return strconv.Itoa(n)
	}
	s = strings.Trim(s, "()")
	if m := classSuffix.FindStringSubmatch(strings.ReplaceAll(strings.ReplaceAll(s, "(", ""), ")", "")); m != nil {
		return m[1]
	}
	return s
}

var (
	dateSeparated = regexp.MustCompile(`^([0-9]{4})[/.年-]([0-9]{1,2})[/.月-]([0-9]{1,2})日?$`)
	dateCompact   = regexp.MustCompile(`^([0-9]{4})([0-9]{2})([0-9]{2})$`)
)

// normalizeDate turns the date forms of Chinese exports (2015/3/15, 2015.03.15, 2015年3月15日,
// 20150315) into YYYY-MM-DD; anything else is returned as it is, for the date check to judge.
func normalizeDate(s string) string {
	s = width.Narrow.String(strings.TrimSpace(s))
	m := dateSeparated.FindStringSubmatch(s)
	if m == nil {
		m = dateCompact.FindStringSubmatch(s)
	}
	if m == nil {
		return s
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	return fmt.Sprintf("%s-%02d-%02d", m[1], mo, d)
}
