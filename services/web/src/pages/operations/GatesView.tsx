import { GateConfigPanel } from './GateConfigPanel';
import { GateOverridesPanel } from './GateOverridesPanel';

export function GatesView() {
  return (
    <>
      <GateConfigPanel />
      <GateOverridesPanel />
    </>
  );
}
