package dev.segmenter.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ConfigException;
import org.junit.jupiter.api.Test;

/** The one parser of a tile as users write it (card field, builder, {@code --tile}). */
class TileSizeTest {

  @Test
  void readsSizesAndAutoAndWritesThemBack() {
    assertEquals(new TileSize(512, 256), TileSize.parse("512x256"));
    assertEquals(new TileSize(512, 256), TileSize.parse(" 512X256 "));
    assertEquals(TileSize.AUTO, TileSize.parse("AUTO"));
    assertTrue(TileSize.parse("auto").auto());
    assertEquals("512x256", TileSize.parse("512X256").toString());
    assertEquals("auto", TileSize.AUTO.toString());
    assertEquals(new TileSize(999999, 1), TileSize.parse("999999x1"));
  }

  @Test
  void refusesWhatIsNotASizeSayingWhatIsAccepted() {
    for (String bad :
        new String[] {"64", "0x8", "8x0", "-8x8", "8x8x8", "1000000x8", "", "autox", "8 x 8"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> TileSize.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad.trim() + "'"), e.getMessage());
      assertTrue(e.getMessage().contains(TileSize.ACCEPTED), e.getMessage());
    }
    assertThrows(ConfigException.class, () -> TileSize.parse(null));
    assertThrows(ConfigException.class, () -> new TileSize(8, 0));
    assertThrows(ConfigException.class, () -> new TileSize(-1, -1));
  }
}
