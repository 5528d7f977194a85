import type { ServiceView } from "../../lib/contract";
import { formatValue, tileValues, valueLabel } from "../_lib/values";

/** One compact line of the values the service's checks report (days to expiry, queue depth...). */
export function TileValues({ service }: { service: ServiceView }) {
  const values = tileValues(service);
  if (values.length === 0) return null;
  return (
    <p className="flex flex-wrap gap-x-3 text-xs" data-testid="tile-values">
      {values.map((v) => (
        <span key={`${v.check}.${v.name}`} title={`check ${v.check}`}>
          <span className="text-muted">{valueLabel(v.name)} </span>
          <span className="font-semibold" data-value={v.name}>
            {formatValue(v.value, v.unit)}
          </span>
        </span>
      ))}
    </p>
  );
}
