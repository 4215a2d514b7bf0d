import { Fragment, useMemo } from 'react';
import { Content } from '@backstage/core-components';
import { CustomHomepageGrid } from '@backstage/plugin-home';
import { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import { Greeting } from './Greeting';

/**
 * The stock home page layout (the user's rearrangeable grid of widgets,
 * starting from app-config's defaultConfig) under an h1 greeting the user,
 * which the stock page lacks.
 */
export function HomeLayout(props: HomePageLayoutProps) {
  const { widgets, defaultConfig } = props;
  // app-config names grid cells column/row; the grid calls them x/y.
  const gridConfig = useMemo(
    () =>
      defaultConfig?.map(item => ({
        component: item.component,
        x: item.column,
        y: item.row,
        width: item.width,
        height: item.height,
        movable: item.movable,
        deletable: item.deletable,
        resizable: item.resizable,
      })),
    [defaultConfig],
  );
  return (
    <Content>
      <Greeting />
      <CustomHomepageGrid config={gridConfig}>
        {widgets.map((widget, index) => (
          <Fragment key={widget.name ?? index}>{widget.component}</Fragment>
        ))}
      </CustomHomepageGrid>
    </Content>
  );
}
