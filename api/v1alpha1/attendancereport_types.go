package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AbsenceKind is the kind of absence a roll call records.
// +kubebuilder:validation:Enum=Unexcused;SickLeave;PersonalLeave;LeftWithoutLeave
type AbsenceKind string

// Absence is one child missing from a roll call.
type Absence struct {
	// Student is the name of the Student object of the absent child.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Student string `json:"student"`
	// Kind of absence: Unexcused (旷课), SickLeave (病假), PersonalLeave (事假) or LeftWithoutLeave (擅自离校).
	Kind AbsenceKind `json:"kind"`
	// Note from the teacher. Do not write personal data here.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	// +kubebuilder:validation:XValidation:rule="!self.matches('[0-9]{6,}|[0-9]{3}[- ][0-9]{4}[- ][0-9]{4}')",message="seems to contain an ID or phone number: do not write personal data in notes"
	Note string `json:"note,omitempty"`
}

// AttendanceReportSpec is one class's roll call for one school day (班级考勤汇报). A report with no
// absences is a zero report (零报告): the day was a school day and everyone was present.
// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="an attendance report cannot be changed once written: submit a new report for the same class and date, which supersedes this one"
// +kubebuilder:validation:XValidation:rule="!has(self.absences) || self.absences.all(a, self.absences.exists_one(b, b.student == a.student))",message="each student may appear only once in absences"
type AttendanceReportSpec struct {
	// School code (学校标识码) of the reporting school.
	School SchoolCode `json:"school"`
	// Grade of the class, 1–9.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=9
	Grade int32 `json:"grade"`
	// Class number within the grade.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=99
	Class int32 `json:"class"`
	// Date of the school day reported.
	Date Date `json:"date"`
	// Reporter is the role or staff number of whoever took the roll call (not a child's data).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	Reporter string `json:"reporter"`
	// ReportedAt orders reports for the same class and date: the latest supersedes earlier ones.
	// When empty the object's creation time is used.
	// +optional
	ReportedAt *metav1.Time `json:"reportedAt,omitempty"`
	// Absences of the day. Empty means a zero report.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	Absences []Absence `json:"absences,omitempty"`
}

// AttendanceReportStatus is written only when a report needs attention, or was replaced: a
// report that is folded cleanly into its class's ClassAttendance record costs no write of its own
// (see the record's days for what was taken from it).
type AttendanceReportStatus struct {
	// ObservedGeneration is the generation of the spec this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// SupersededBy names a later report for the same class and date, which is used instead.
	// +optional
	SupersededBy string `json:"supersededBy,omitempty"`
	// UnknownStudents are named in absences but exist nowhere in the county.
	// +optional
	// +listType=atomic
	UnknownStudents []string `json:"unknownStudents,omitempty"`
	// NotOnRoster are named in absences but are enrolled in another class or school (在籍不在校).
	// +optional
	// +listType=atomic
	NotOnRoster []string `json:"notOnRoster,omitempty"`
	// Conditions: Ready (False with reason StudentsNotOnRoster, EmptyRoster or FutureDate; True
	// with reason Superseded).
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// AttendanceReport is one class's roll call for one school day.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=att
// Roll calls are not in the kongchuo category: a county has one per class and school day, and
// `kubectl get kongchuo` is for the children, cases and agreements (`kubectl get att` lists them).
// +kubebuilder:printcolumn:name="Date",type=string,JSONPath=`.spec.date`
// +kubebuilder:printcolumn:name="School",type=string,JSONPath=`.spec.school`
// +kubebuilder:printcolumn:name="Grade",type=integer,JSONPath=`.spec.grade`
// +kubebuilder:printcolumn:name="Class",type=integer,JSONPath=`.spec.class`
// +kubebuilder:printcolumn:name="Superseded-By",type=string,JSONPath=`.status.supersededBy`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
type AttendanceReport struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec   AttendanceReportSpec   `json:"spec"`
	Status AttendanceReportStatus `json:"status,omitempty"` // the default makes kstatus (Flux) see a new object as in progress until reconciled
}

// AttendanceReportList is a list of AttendanceReports.
// +kubebuilder:object:root=true
type AttendanceReportList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []AttendanceReport `json:"items"`
}

func init() {
	SchemeBuilder.Register(&AttendanceReport{}, &AttendanceReportList{})
}
