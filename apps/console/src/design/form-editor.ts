// Additions to the form-js editor. Its properties panel shows every group closed and keeps no layout
// of its own, so a designer who selects a field sees only headers and must find the key and the
// validation rules behind them: these groups open by default (a click still closes them).
const OPEN_GROUPS = ['general', 'validation'];

interface Group {
  id: string;
  shouldOpen?: boolean;
}
interface PropertiesPanel {
  registerProvider(provider: OpenGroupsProvider, priority?: number): void;
}

class OpenGroupsProvider {
  static $inject = ['propertiesPanel'];

  constructor(propertiesPanel: PropertiesPanel) {
    // below form-js's own provider (1000), so its groups exist when this one runs
    propertiesPanel.registerProvider(this, 500);
  }

  getGroups() {
    return (groups: Group[]) =>
      groups.map((group) => (OPEN_GROUPS.includes(group.id) ? { ...group, shouldOpen: true } : group));
  }
}

export const openGroupsModule = {
  __init__: ['flowdeskOpenGroups'],
  flowdeskOpenGroups: ['type', OpenGroupsProvider],
};
