import { useQuery } from "@tanstack/react-query";
import { alertKeys, alertsApi } from "./alerts-api";

/**
 * The services in a maintenance window or silenced now, as the alerting runtime says
 * (GET /api/alerts/maintenance). One query shared by the banner, every tile and the service
 * header. Maintenance is shown beside the engine's status, not instead of it: the engine's
 * SERVICE_STATUSES stay as they are (a new status would ripple through every package), and an
 * operator still sees that a service in maintenance is down.
 */
export const maintenanceQuery = {
  queryKey: alertKeys.maintenance,
  queryFn: ({ signal }: { signal: AbortSignal }) => alertsApi.maintenance(signal),
  // A window can open or end without any other event reaching the page.
  refetchInterval: 15_000,
};

/** Whether `service` is in maintenance now; re-renders only when that answer changes. */
export function useInMaintenance(service: string): boolean {
  const { data } = useQuery({ ...maintenanceQuery, select: (d) => d.services.includes(service) });
  return data ?? false;
}
