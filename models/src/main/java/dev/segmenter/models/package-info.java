/** Shipped models and the street-scene generator. */
package dev.segmenter.models;
