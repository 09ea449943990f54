-- Attendance by organization over time (列席 / 请假 entries that name an organization).
SELECT organization, year, role, attendances, meetings
FROM attendance_by_organization
ORDER BY organization, year, role;
