package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ClassAbsence is one child a class's roll call marked absent on one school day.
type ClassAbsence struct {
	// Student is the name of the Student object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Student string `json:"student"`
	// Mark the roll call gave the child: Unexcused, SickLeave, PersonalLeave or LeftWithoutLeave.
	Mark Mark `json:"mark"`
}

// ClassDay is what a class's roll call said on one school day: every child on the roster not
// named in absences was present. It is the roll call that won for the day (the latest by
// reportedAt, then by name), so a correction replaces the day instead of adding to it.
type ClassDay struct {
	// Date of the school day.
	Date Date `json:"date"`
	// Report is the AttendanceReport the day was taken from. The report itself may since have
	// been pruned; the day stays here for the whole school year.
	// +kubebuilder:validation:MaxLength=253
	Report string `json:"report"`
	// ReportedAt orders corrections of the same day: a later report replaces this one.
	ReportedAt metav1.Time `json:"reportedAt"`
	// Absences of the day; empty for a zero report (零报告).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	Absences []ClassAbsence `json:"absences,omitempty"`
}

// ClassAttendanceSpec is one class's attendance record for one calendar month (班级考勤台账); the
// months of a school year together hold the year. The controller writes it as it folds in the
// class's roll calls, one write per class per school day; people write AttendanceReports, not
// this. It is the only copy of the days once the reports are pruned, so it is spec, not status:
// clearing the status loses nothing. A month keeps each write small (about 22 days).
type ClassAttendanceSpec struct {
	// School code (学校标识码).
	School SchoolCode `json:"school"`
	// Grade of the class, 1–9.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=9
	Grade int32 `json:"grade"`
	// Class number within the grade.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=99
	Class int32 `json:"class"`
	// SchoolYear is the first day of the school year the month belongs to.
	SchoolYear Date `json:"schoolYear"`
	// Month the record covers, written YYYY-MM.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])$`
	Month string `json:"month"`
	// Days reported, oldest first, one entry per school day of the month.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=31
	Days []ClassDay `json:"days,omitempty"`
}

// ClassAttendance is the attendance record of one class for one month, folded from its
// roll calls by the controller. Monthly reports, annual rates and the Students' attendance are
// derived from it. Like the roll calls it is left out of the kongchuo category (`kubectl get
// kongchuo` would list a county's thousands of them); `kubectl get ca` lists them. Unlike the other kinds it has no status: it is itself the controller's record,
// with nothing further to observe, and a status kept beside the days would cost a second write
// per class per school day.
// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=ca
// +kubebuilder:printcolumn:name="School",type=string,JSONPath=`.spec.school`
// +kubebuilder:printcolumn:name="Grade",type=integer,JSONPath=`.spec.grade`
// +kubebuilder:printcolumn:name="Class",type=integer,JSONPath=`.spec.class`
// +kubebuilder:printcolumn:name="Month",type=string,JSONPath=`.spec.month`
// +kubebuilder:printcolumn:name="Last-Reported",type=string,JSONPath=`.spec.days[-1:].date`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type ClassAttendance struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec ClassAttendanceSpec `json:"spec"`
}

// ClassAttendanceList is a list of ClassAttendances.
// +kubebuilder:object:root=true
type ClassAttendanceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClassAttendance `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ClassAttendance{}, &ClassAttendanceList{})
}
