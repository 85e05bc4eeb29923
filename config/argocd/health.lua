-- Argo CD health of every kongchuo kind. Argo CD takes one script per kind; this one serves all
-- (config/argocd installs it under each kind's key of argocd-cm) and reads the kind from obj:
--   all kinds            Progressing until the controller has seen this generation, or while
--                        there is no Ready condition; Degraded when Stalled or Ready is False
--                        (a Student's invalid inherited ladder, a roll call naming children not
--                        on the class roster); else Healthy
--   ResponsibilityAgreement  Degraded on a Conflict (two agreements claim the scope on one line);
--                        Suspended when not in effect (not yet, or ended)
--   DropoutCase          Healthy once struck off (Resolved); Degraded while an action is Overdue
--   AttendanceReport     a roll call folded cleanly into its class record has no status at all
--                        (it costs no write): Healthy; one that needs attention has Ready False
--   ClassAttendance      the controller's own record of a class's days, with no status: Healthy
--   SupportRecord        support given to a child (no status; the Student judges it): Healthy
--   Student              Healthy unless Stalled: its Ready False (AtRisk, CaseOpen, Unassigned,
--                        RegistryInconsistent, OutOfSchool) is the county's work, shown as the
--                        message with Ready's reason first
--   MonthlyReport        Healthy once confirmed (确认); Degraded while Late and not confirmed;
--                        else Progressing: waiting for the responsible person to confirm it
-- A child at risk, or targets missed, is the county's work, not an unhealthy resource.
local function condition(type)
  for _, c in ipairs(obj.status.conditions or {}) do
    if c.type == type then return c end
  end
  return nil
end
local function isTrue(c) return c ~= nil and c.status == "True" end

if obj.kind == "ClassAttendance" then
  return {status = "Healthy", message = "the class's attendance record, written by the controller"}
end
if obj.kind == "SupportRecord" then
  return {status = "Healthy", message = "support given to a child; the Student's SupportMissing condition judges it"}
end
if obj.kind == "AttendanceReport" and (obj.status == nil or obj.status.conditions == nil) then
  return {status = "Healthy", message = "folded into the class's attendance record"}
end
if obj.status == nil or (obj.status.observedGeneration or 0) < (obj.metadata.generation or 1) then
  return {status = "Progressing", message = "waiting for the kongchuo controller"}
end
local stalled, ready = condition("Stalled"), condition("Ready")
if isTrue(stalled) then
  return {status = "Degraded", message = stalled.message}
end
if obj.kind == "MonthlyReport" then
  local late, confirmed = condition("Late"), condition("Confirmed")
  if isTrue(confirmed) then
    return {status = "Healthy", message = confirmed.message}
  end
  if isTrue(late) then
    return {status = "Degraded", message = late.message}
  end
  return {status = "Progressing", message = "waiting for the responsible person to confirm the report"}
end
if obj.kind == "Student" and ready ~= nil then
  return {status = "Healthy", message = ready.reason .. " " .. ready.message}
end
if obj.kind == "DropoutCase" and isTrue(condition("Resolved")) then
  return {status = "Healthy", message = condition("Resolved").message}
end
local problem = ({ResponsibilityAgreement = "Conflict", DropoutCase = "Overdue"})[obj.kind]
if problem ~= nil and isTrue(condition(problem)) then
  return {status = "Degraded", message = condition(problem).message}
end
if ready == nil then
  return {status = "Progressing", message = "waiting for the kongchuo controller"}
end
if ready.status ~= "True" then
  return {status = "Degraded", message = ready.message}
end
local active = condition("Active")
if obj.kind == "ResponsibilityAgreement" and active ~= nil and active.status ~= "True" then
  return {status = "Suspended", message = active.message}
end
return {status = "Healthy", message = ready.message}
