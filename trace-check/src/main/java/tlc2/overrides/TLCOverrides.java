package tlc2.overrides;

import org.raftref.tracecheck.validate.TraceDataOverride;

/**
 * TLC looks up its Java operator definitions through a class of exactly this name on its class path
 * (TLC 2.18). trace-check defines one: {@code TraceEvents}, which reads the ndjson trace being validated.
 */
public final class TLCOverrides implements ITLCOverrides {

  @Override
  @SuppressWarnings("rawtypes")
  public Class[] get() {
    return new Class[] {TraceDataOverride.class};
  }
}
