package dev.segmenter.scenes;

/**
 * The 19 Cityscapes train ids used by the scene labels; 255 marks void. Their names are the palettes module's
 * Cityscapes labels ({@code StreetSceneTest} checks that they agree); this module keeps no dependency so the ENet
 * recipe can run the generator from its classes alone.
 */
public final class CityscapesIds {
  public static final int ROAD = 0,
      SIDEWALK = 1,
      BUILDING = 2,
      WALL = 3,
      FENCE = 4,
      POLE = 5,
      TRAFFIC_LIGHT = 6,
      TRAFFIC_SIGN = 7,
      VEGETATION = 8,
      TERRAIN = 9,
      SKY = 10,
      PERSON = 11,
      RIDER = 12,
      CAR = 13,
      TRUCK = 14,
      BUS = 15,
      TRAIN = 16,
      MOTORCYCLE = 17,
      BICYCLE = 18;
  public static final int VOID = 255;

  private CityscapesIds() {}
}
